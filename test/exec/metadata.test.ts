import { describe, expect, test } from 'vitest';
import { LineSplitter, MetadataCollector, parseMetadataLine } from '../../src/exec/metadata.js';

describe('LineSplitter', () => {
  test('joins lines across chunks, splits multi-byte characters safely, strips CR', () => {
    const splitter = new LineSplitter();
    const bytes = Buffer.from('héllo\r\nwor', 'utf8');
    const lines = [...splitter.push(bytes.subarray(0, 2)), ...splitter.push(bytes.subarray(2)), ...splitter.push('ld\n\nlast')];
    expect(lines).toEqual(['héllo', 'world', '']);
    expect(splitter.flush()).toEqual(['last']);
    expect(splitter.flush()).toEqual([]);
  });
});

describe('metadata', () => {
  test.each<[string, Record<string, unknown> | undefined]>([
    ['{"loss": 0.5}', { loss: 0.5 }],
    ['   {"a": [1, 2]}  ', { a: [1, 2] }],
    ['{}', {}],
    ['{not json}', undefined],
    ['[1, 2]', undefined],
    ['"text"', undefined],
    ['prefix {"a": 1}', undefined],
    ['null', undefined],
  ])('%j', (line, expected) => {
    expect(parseMetadataLine(line)).toEqual(expected);
  });

  test('keeps the series and the latest value per key', () => {
    const collector = new MetadataCollector();
    const t0 = new Date('2024-05-01T10:00:00.000Z');
    collector.handleLine('{"epoch": 1, "loss": 0.9}', t0);
    collector.handleLine('plain output', t0);
    collector.handleLine('{"epoch": 2, "loss": 0.5, "_time": "2024-05-01T10:00:05Z"}', t0);
    collector.handleLine('{"accuracy": 0.8}', new Date('2024-05-01T10:00:09.000Z'));
    expect(collector.events).toEqual([
      { time: '2024-05-01T10:00:00.000Z', values: { epoch: 1, loss: 0.9 } },
      { time: '2024-05-01T10:00:05Z', values: { epoch: 2, loss: 0.5 } },
      { time: '2024-05-01T10:00:09.000Z', values: { accuracy: 0.8 } },
    ]);
    expect(collector.latest).toEqual({ epoch: 2, loss: 0.5, accuracy: 0.8 });
    expect(collector.series('loss')).toEqual([
      { time: '2024-05-01T10:00:00.000Z', value: 0.9 },
      { time: '2024-05-01T10:00:05Z', value: 0.5 },
    ]);
  });
});
