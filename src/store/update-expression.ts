/**
 * The SET and REMOVE parts of an UpdateItem for a partial change: each attribute gets a placeholder name
 * (`#a<i>`), a value goes to SET, `undefined` to REMOVE. Attributes the repository manages itself are skipped.
 */
export interface UpdateParts {
  names: Record<string, string>;
  values: Record<string, unknown>;
  sets: string[];
  removes: string[];
}

export function addChanges(
  parts: UpdateParts,
  changes: Record<string, unknown>,
  skip: ReadonlySet<string>,
): void {
  Object.entries(changes).forEach(([attr, value], i) => {
    if (skip.has(attr)) return;
    parts.names[`#a${i}`] = attr;
    if (value === undefined) parts.removes.push(`#a${i}`);
    else {
      parts.values[`:v${i}`] = value;
      parts.sets.push(`#a${i} = :v${i}`);
    }
  });
}
