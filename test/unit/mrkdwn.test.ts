import { describe, expect, it } from 'vitest';
import { analysisFailedReplies, answerReplies, streamingReply } from '../../src/blocks/analysis-replies.js';
import { findBlockKitViolations } from '../../src/blocks/limits.js';
import { markdownToMrkdwn, splitMrkdwn } from '../../src/blocks/mrkdwn.js';

describe('markdownToMrkdwn', () => {
  it('converts headings, emphasis, links and lists', () => {
    const md = [
      '# Root cause',
      'The **pool** was *exhausted* and ~~nobody~~ noticed.',
      '- see [the runbook](https://runbooks.example/pool?a=1&b=2)',
      '* second item',
      '---',
    ].join('\n');
    expect(markdownToMrkdwn(md)).toBe(
      [
        '*Root cause*',
        'The *pool* was _exhausted_ and ~nobody~ noticed.',
        '• see <https://runbooks.example/pool?a=1&amp;b=2|the runbook>',
        '• second item',
        '──────────',
      ].join('\n'),
    );
  });

  it('escapes control characters, so an answer cannot ping the channel or forge a link', () => {
    expect(markdownToMrkdwn('Tell <!channel> & <https://evil|bank>')).toBe(
      'Tell &lt;!channel&gt; &amp; &lt;https://evil|bank&gt;',
    );
  });

  it('keeps code as written, apart from the escaping', () => {
    const md = ['Run `a *b* c`:', '```', '**not bold** <tag>', '```'].join('\n');
    expect(markdownToMrkdwn(md)).toBe(
      ['Run `a *b* c`:', '```', '**not bold** &lt;tag&gt;', '```'].join('\n'),
    );
  });
});

describe('splitMrkdwn', () => {
  it('leaves short text alone', () => {
    expect(splitMrkdwn('short')).toEqual(['short']);
  });

  it('cuts between lines, each piece within the limit, losing nothing', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    const pieces = splitMrkdwn(text, 300);
    expect(pieces.length).toBeGreaterThan(5);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(300);
    expect(pieces.join('\n')).toBe(text);
  });

  it('cuts a line longer than the limit, never inside an entity or a surrogate pair', () => {
    const text = `${'a'.repeat(95)}&amp;${'😀'.repeat(60)}`;
    const pieces = splitMrkdwn(text, 100);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(100);
      expect(piece).not.toMatch(/&[a-z]{0,3}$/);
      expect(piece.charCodeAt(piece.length - 1)).not.toSatisfy((c: number) => c >= 0xd800 && c <= 0xdbff);
    }
  });

  it('closes a code block at a cut and reopens it in the next piece', () => {
    const code = Array.from({ length: 30 }, (_, i) => `const v${i} = ${i};`).join('\n');
    const text = `Before\n\`\`\`\n${code}\n\`\`\`\nAfter`;
    const pieces = splitMrkdwn(text, 120);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(120);
      expect((piece.match(/```/g) ?? []).length % 2).toBe(0);
    }
    const rejoined = pieces.join('\n').replace(/\n```\n```\n/g, '\n');
    expect(rejoined).toBe(text);
  });
});

describe('analysis replies', () => {
  const header = { incidentId: 'INC-7', requestedBy: 'U0ALICE01', engine: 'agent' as const };

  it('a long answer becomes several valid messages whose sections hold every character', () => {
    const answer = Array.from({ length: 400 }, (_, i) => `Paragraph ${i}: ${'word '.repeat(20).trim()}`).join(
      '\n',
    );
    const messages = answerReplies(header, answer);
    expect(messages.length).toBeGreaterThan(1);
    const sections: string[] = [];
    for (const message of messages) {
      expect(findBlockKitViolations({ kind: 'message', text: message.text, blocks: message.blocks })).toEqual(
        [],
      );
      for (const block of (message.blocks ?? []) as { type: string; text?: { text: string } }[]) {
        if (block.type === 'section' && block.text) sections.push(block.text.text);
      }
    }
    expect(sections.join('\n')).toBe(answer);
  });

  it('the streaming preview shows the newest part within one section', () => {
    const partial = Array.from({ length: 200 }, (_, i) => `line ${i}`)
      .join('\n')
      .repeat(3);
    const preview = streamingReply(header, partial);
    expect(findBlockKitViolations({ kind: 'message', text: preview.text, blocks: preview.blocks })).toEqual(
      [],
    );
    expect(preview.text.startsWith('…')).toBe(true);
    expect(preview.text.endsWith('line 199')).toBe(true);
  });

  it('a failure says the kind and the remedy, after any partial answer', () => {
    const [only] = analysisFailedReplies(header, 'THROTTLING', '');
    expect(only?.text).toMatch(/^⚠️ \*The analysis failed\* \(`THROTTLING`\): Bedrock is throttling/);
    const withPartial = analysisFailedReplies(header, 'TIMEOUT', 'Half an answer');
    expect(withPartial[0]?.text).toMatch(/^Half an answer\n⚠️ \*The analysis failed\* \(`TIMEOUT`\)/);
  });

  it('the local analyser’s mrkdwn is kept as it is', () => {
    const [message] = answerReplies({ ...header, engine: 'local' }, '*Bold in mrkdwn*');
    expect(message?.text).toBe('*Bold in mrkdwn*');
  });
});
