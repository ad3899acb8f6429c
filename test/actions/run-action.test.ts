/**
 * The one action wrapper: what a user sees in the step's log and annotations for each kind of failure,
 * through the real @actions/core writing workflow commands to stdout.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestError } from '@octokit/request-error';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUG_MARKER, failureKind, runAction } from '../../src/actions/run-action.js';
import { InputError } from '../../src/exec/inputs.js';
import { DurationError, parseDuration } from '../../src/pipeline/duration.js';
import { evaluateExpression, ExpressionSyntaxError } from '../../src/pipeline/expression.js';
import { parseSocket, SocketSyntaxError } from '../../src/pipeline/socket.js';
import { ConfigurationError, OutcomeFailure } from '../../src/util/errors.js';
import { errorsOf, restoreEnv, runAction as runLikeTheRunner, type ActionRun } from './helpers.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mlops-run-action-'));
});
afterAll(async () => {
  restoreEnv();
  await rm(scratch, { recursive: true, force: true });
});

function wrapped(body: () => Promise<void>, finalize?: (error: unknown) => Promise<void>): Promise<ActionRun> {
  return runLikeTheRunner(() => runAction(body, finalize ? { finalize } : {}), {
    output: join(scratch, 'output.txt'),
    summary: join(scratch, 'summary.md'),
    workspace: scratch,
  });
}

/** Lines of a stack trace (`    at f (file:1:2)`) anywhere in the log, debug lines aside. */
function stackLines(log: string): string[] {
  return log.split('\n').filter((line) => /^\s+at /.test(line));
}

describe('runAction', () => {
  it('a body that returns leaves the step green', async () => {
    const job = await wrapped(async () => {});
    expect(job.failed).toBe(false);
    expect(errorsOf(job)).toEqual([]);
  });

  it.each([
    ['ConfigurationError', new ConfigurationError('input "file": valohai.yml does not exist; set file: to your pipeline file')],
    ['InputError', new InputError('input "data" has no source: give it a default or an edge')],
    ['OutcomeFailure', new OutcomeFailure('pipeline train failed: node eval failed')],
  ])('a %s is one annotation line and no stack', async (_name, error) => {
    const job = await wrapped(async () => {
      throw error;
    });
    expect(job.failed).toBe(true);
    expect(errorsOf(job)).toEqual([error.message]);
    expect(stackLines(job.log)).toEqual([]);
    expect(job.log).not.toContain(BUG_MARKER);
  });

  it('a bug prints its stack (and its cause) and says it is a bug', async () => {
    const job = await wrapped(async () => {
      const record: { nodes?: { state: string }[] } = {};
      try {
        // A real programming error: reading a property of undefined.
        record.nodes![0]!.state = 'done';
      } catch (cause) {
        throw new Error('could not settle the run record', { cause });
      }
    });
    expect(job.failed).toBe(true);
    const [annotation, ...more] = errorsOf(job);
    expect(more).toEqual([]);
    expect(annotation).toMatch(new RegExp(`^${BUG_MARKER} \\(Error: could not settle the run record\\); please report it at https://`));
    expect(job.log).toContain('Caused by: TypeError');
    expect(stackLines(job.log).some((line) => line.includes('run-action.test.ts'))).toBe(true);
  });

  it('a service that failed is one line naming it, its stack only in the debug log', async () => {
    const error = new RequestError('Server Error', 502, {
      request: { method: 'GET', url: 'https://api.github.com/repos/o/r/releases', headers: {} },
      response: { status: 502, url: 'https://api.github.com/repos/o/r/releases', headers: {}, data: '' },
    });
    const job = await wrapped(async () => {
      throw error;
    });
    expect(errorsOf(job)).toEqual(['a service failed: Server Error']);
    expect(job.log).not.toContain(BUG_MARKER);
    const debug = job.log.split('\n').filter((line) => line.startsWith('::debug::'));
    expect(debug.join('\n')).toContain('HttpError');
  });

  it('a thrown non-Error value still fails the step, as a bug', async () => {
    const job = await wrapped(() => Promise.reject('just a string'));
    expect(job.failed).toBe(true);
    expect(errorsOf(job)[0]).toContain(BUG_MARKER);
    expect(errorsOf(job)[0]).toContain('just a string');
  });

  it('settles the owned record before reporting, and a failing finaliser only warns', async () => {
    const settled: unknown[] = [];
    const error = new ConfigurationError('rollout refused: readiness probe failed');
    const job = await wrapped(
      async () => {
        throw error;
      },
      async (failure) => {
        settled.push(failure);
      },
    );
    expect(settled).toEqual([error]);
    expect(errorsOf(job)).toEqual([error.message]);

    const broken = await wrapped(
      async () => {
        throw error;
      },
      async () => {
        throw new Error('GitHub answered 500 to the deployment status');
      },
    );
    expect(broken.failed).toBe(true);
    expect(errorsOf(broken)).toEqual([error.message]);
    expect(broken.log).toContain('::warning::could not record the failure: GitHub answered 500');
  });

  // run-action.ts tells these apart by name (importing their modules would load pipeline code into every
  // action's start): the errors the real parsers throw must still count as the user's mistakes.
  it.each([
    ['DurationError', DurationError, () => parseDuration('ten minutes')],
    ['ExpressionSyntaxError', ExpressionSyntaxError, () => evaluateExpression('1 +', { metadata: {}, parameters: {} })],
    ['SocketSyntaxError', SocketSyntaxError, () => parseSocket('no-dots')],
    ['InputError', InputError, () => {
      throw new InputError('input "data" has no source');
    }],
  ])('a %s from the pipeline code is a user error', (_name, kind, fail) => {
    let thrown: unknown;
    try {
      fail();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(kind);
    expect(failureKind(thrown)).toBe('user');
  });

  it('tells network failures from bugs', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(failureKind(refused)).toBe('service');
    expect(failureKind(new TypeError('fetch failed', { cause: refused }))).toBe('service');
    expect(failureKind(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe('bug');
    expect(failureKind(new RangeError('Invalid array length'))).toBe('bug');
  });
});
