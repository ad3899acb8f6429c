import { describe, expect, test } from 'vitest';
import { joinCommand, pythonFloatRepr, pythonStr, renderCommand } from '../../src/pipeline/command.js';
import type { Parameter, ParameterValue } from '../../src/pipeline/model.js';
import { shellQuote } from '../../src/util/shell.js';
import { ConfigurationError } from '../../src/util/errors.js';
import { param, step } from './helpers.js';

describe('shellQuote (shlex.quote)', () => {
  test.each([
    ['', "''"],
    ['abc', 'abc'],
    ['--lr=0.001', '--lr=0.001'],
    ['a@b%c+d=e:f,g.h/i-j_k', 'a@b%c+d=e:f,g.h/i-j_k'],
    ['hello world', "'hello world'"],
    ["it's", `'it'"'"'s'`],
    ['$(touch x)', "'$(touch x)'"],
    ['ä', "'ä'"],
    ['a\nb', "'a\nb'"],
  ])('%j → %s', (input, expected) => {
    expect(shellQuote(input)).toBe(expected);
  });
});

describe('Python str() rendering', () => {
  test.each([
    [0.001, '0.001'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [20, '20.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [1.5, '1.5'],
    [1e16, '1e+16'],
    [123456789012345680000, '1.2345678901234568e+20'],
    [9999999999999998, '9999999999999998.0'],
    [-2.5e-7, '-2.5e-07'],
    [0.1 + 0.2, '0.30000000000000004'],
    [Infinity, 'inf'],
    [Number.NaN, 'nan'],
  ])('float %d → %s', (value, expected) => {
    expect(pythonFloatRepr(value)).toBe(expected);
  });

  test.each<[ParameterValue, boolean, string]>([
    [true, false, 'True'],
    [false, false, 'False'],
    [null, false, 'None'],
    [5, false, '5'],
    [5, true, '5.0'],
    [0.5, false, '0.5'],
    [1e21, false, '1000000000000000000000'],
    ['text', false, 'text'],
    [['a', "b'c", 1, 2.5, true, null], false, `['a', "b'c", 1, 2.5, True, None]`],
    [[1, 2], true, '[1.0, 2.0]'],
  ])('%j (float %s) → %s', (value, asFloat, expected) => {
    expect(pythonStr(value, asFloat)).toBe(expected);
  });
});

/** Renders one command line with the given parameters and values. */
function render(command: string, parameters: Parameter[], values: Record<string, ParameterValue>, sourcePath?: string): string {
  const s = step(command, { parameters, ...(sourcePath === undefined ? {} : { sourcePath }) });
  return renderCommand(s, values)[0] ?? '';
}

describe('renderCommand (FORMAT.md §2.1)', () => {
  test('the verified example', () => {
    const parameters = [
      param('lr', { type: 'float' }),
      param('msg'),
      param('rep', { multiple: 'repeat', passAs: '-r {v}' }),
      param('sep', { type: 'integer', multiple: 'separate', multipleSeparator: '-' }),
      param('named', { passAs: '--{name}:{value}' }),
    ];
    const values = { lr: 0.001, msg: 'hello world', rep: ['a', 'b c'], sep: [1, 2, 3], named: 'x' };
    expect(render('echo {parameters}', parameters, values)).toBe("echo --lr=0.001 '--msg=hello world' -r a -r 'b c' --sep=1-2-3 --named:x");
  });

  const flag = (name: string, extra: Partial<Parameter> = {}): Parameter => param(name, { type: 'flag', optional: true, ...extra });

  test.each<[string, string, Parameter[], Record<string, ParameterValue>, string]>([
    ['params alias', 'run {params}', [param('a')], { a: 'x' }, 'run --a=x'],
    ['declaration order, not value order', 'run {parameters}', [param('b'), param('a')], { a: '1', b: '2' }, 'run --b=2 --a=1'],
    ['None omitted', 'run {parameters}', [param('a', { optional: true }), param('b')], { a: null, b: 'y' }, 'run --b=y'],
    ['missing value omitted', 'run {parameters} end', [param('a', { optional: true })], {}, 'run  end'],
    ['defaults of non-flags apply', 'run {parameters}', [param('e', { type: 'integer', default: 10 })], {}, 'run --e=10'],
    ['float default renders as float', 'run {parameters}', [param('lr', { type: 'float', default: 20 })], {}, 'run --lr=20.0'],
    ['integer stays integer', 'run {parameters}', [param('n', { type: 'integer' })], { n: 3 }, 'run --n=3'],
    ['string True', 'run {parameters}', [param('aug')], { aug: true }, 'run --data_augmentation=True'.replace('data_augmentation', 'aug')],
    ['flag true', 'run {parameters}', [flag('v')], { v: true }, 'run --v'],
    ['flag false omitted', 'run {parameters}', [flag('v')], { v: false }, 'run'],
    ['flag default is not applied by build_command', 'run {parameters}', [flag('v', { default: true })], {}, 'run'],
    ['flag "false" text is off', 'run {parameters}', [flag('v')], { v: 'false' }, 'run'],
    ['pass-true-as', 'run {parameters}', [flag('v', { passTrueAs: '--yes-{name}', passFalseAs: '--no-{name}' })], { v: true }, 'run --yes-v'],
    ['pass-false-as', 'run {parameters}', [flag('v', { passTrueAs: '--yes-{name}', passFalseAs: '--no-{name}' })], { v: false }, 'run --no-v'],
    ['only pass-false-as, true gives nothing', 'run {parameters}', [flag('v', { passFalseAs: '--no-{name}' })], { v: true }, 'run'],
    ['pass-as ignored with pass-true-as', 'run {parameters}', [flag('v', { passAs: '-V', passTrueAs: '-T' })], { v: true }, 'run -T'],
    ['flag with custom pass-as', 'run {parameters}', [flag('v', { passAs: '-V' })], { v: true }, 'run -V'],
    ['positional {v}', 'run {parameters}', [param('file', { passAs: '{v}' })], { file: 'a b.txt' }, "run 'a b.txt'"],
    ['two-piece pass-as', 'run {parameters}', [param('n', { passAs: '-n {value}' })], { n: 'x y' }, "run -n 'x y'"],
    ['repeat', 'run {parameters}', [param('t', { multiple: 'repeat' })], { t: ['a', 'b'] }, 'run --t=a --t=b'],
    ['repeat with a single value', 'run {parameters}', [param('t', { multiple: 'repeat' })], { t: 'a' }, 'run --t=a'],
    ['separate default separator', 'run {parameters}', [param('t', { multiple: 'separate' })], { t: ['a', 'b'] }, 'run --t=a,b'],
    ['separate empty list omitted', 'run {parameters}', [param('t', { multiple: 'separate' })], { t: [] }, 'run'],
    ['separate floats', 'run {parameters}', [param('t', { type: 'float', multiple: 'separate' })], { t: [1, 0.5] }, 'run --t=1.0,0.5'],
    ['multiple default wrapped in a list', 'run {parameters}', [param('t', { multiple: 'repeat', default: 'x' })], {}, 'run --t=x'],
    ['{parameter:NAME}', 'run {parameter:b} -- {parameter:a}', [param('a'), param('b')], { a: '1', b: 'two words' }, "run '--b=two words' -- --a=1"],
    ['{parameter:NAME} unknown stays literal', 'run {parameter:nope}', [param('a')], { a: '1' }, 'run {parameter:nope}'],
    ['{parameter:NAME} None is empty', 'run [{parameter:a}]', [param('a', { optional: true })], { a: null }, 'run []'],
    ['{parameter-value:NAME}', 'run {parameter-value:a}', [param('a', { passAs: '-x {v}' })], { a: 'a b' }, "run 'a b'"],
    ['{parameter-value:NAME} zero', 'run {parameter-value:a}', [param('a', { type: 'integer' })], { a: 0 }, 'run 0'],
    ['{parameter-value:NAME} empty string', 'run {parameter-value:a}', [param('a')], { a: '' }, "run ''"],
    ['{parameter-value:NAME} no value stays literal', 'run {parameter-value:a}', [param('a', { optional: true })], {}, 'run {parameter-value:a}'],
    ['{parameter-value:NAME} explicit None', 'run {parameter-value:a}', [param('a', { optional: true })], { a: null }, 'run None'],
    ['{parameter-value:NAME} float', 'run {parameter-value:lr}', [param('lr', { type: 'float' })], { lr: 2 }, 'run 2.0'],
    [
      '{parameter-value:NAME} list repr',
      'run {parameter-value:t}',
      [param('t', { multiple: 'repeat' })],
      { t: ['a', 'b'] },
      `run '['"'"'a'"'"', '"'"'b'"'"']'`,
    ],
    ['unknown placeholders verbatim', 'run {inputs} {inputs.x} {parameters.x} ${HOME}', [param('a')], { a: '1' }, 'run {inputs} {inputs.x} {parameters.x} ${HOME}'],
    ['double braces', 'awk "{print $1}" {parameters}', [param('a')], { a: '1' }, 'awk "{print $1}" --a=1'],
    ['stripped', '   run {parameters}   ', [], {}, 'run'],
    ['pass-as escapes', 'run {parameters}', [param('a', { passAs: '--{name}={{{value}}}' })], { a: 'x' }, "run '--a={x}'"],
  ])('%s', (_title, command, parameters, values, expected) => {
    expect(render(command, parameters, values)).toBe(expected);
  });

  test('{source-path} quoted, literal when the step has none', () => {
    expect(render('python {source-path}', [], {}, 'src/my train.py')).toBe("python 'src/my train.py'");
    expect(render('python {source-path}', [], {})).toBe('python {source-path}');
  });

  test('a list for a single-valued parameter is a configuration error', () => {
    expect(() => render('run {parameters}', [param('a')], { a: ['x', 'y'] })).toThrow(ConfigurationError);
  });

  test('an unknown pass-as field is a configuration error', () => {
    expect(() => render('run {parameters}', [param('a', { passAs: '--{nmae}={value}' })], { a: 'x' })).toThrow(/unknown field \{nmae\}/);
  });

  test('each command line is rendered on its own', () => {
    const s = step(['cd src', 'python train.py {parameters}', ''], { parameters: [param('a')] });
    expect(renderCommand(s, { a: 'x' })).toEqual(['cd src', 'python train.py --a=x', '']);
  });
});

describe('joinCommand', () => {
  test('drops blank items and joins with newlines', () => {
    expect(joinCommand(['cd src', '', '  ', 'python x.py'])).toBe('cd src\npython x.py');
  });
  test('keeps a leading shebang first', () => {
    expect(joinCommand(['', '#!/bin/bash', 'set -euo pipefail', 'echo hi'])).toBe('#!/bin/bash\nset -euo pipefail\necho hi');
  });
});
