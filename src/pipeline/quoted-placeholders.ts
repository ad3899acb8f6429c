/**
 * Parameter placeholders written inside shell quotes (`echo "{parameter-value:msg}"`,
 * `'{parameter:msg}'`). The toolkit quotes every rendered value for the shell; inside quotes written
 * around it that quoting is undone (the value ends the user's quote and a `$(…)` in it runs), and
 * Valohai's own rendering has the same hole. Values can come from `workflow_dispatch` inputs, so
 * `validate` warns and says how to fix it: leave the placeholder unquoted.
 */
const PLACEHOLDER = /\{(?:parameter-value|parameter):[^}]+\}|\{parameters\}/y;

/** The placeholders of one command line that stand inside single or double quotes. */
export function quotedPlaceholders(line: string): string[] {
  const found: string[] = [];
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote !== "'" && ch === '\\') {
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      if (quote === undefined) quote = ch;
      else if (quote === ch) quote = undefined;
      continue;
    }
    if (ch === '{' && quote !== undefined) {
      PLACEHOLDER.lastIndex = i;
      const match = PLACEHOLDER.exec(line);
      if (match) {
        found.push(match[0]);
        i += match[0].length - 1;
      }
    }
  }
  return found;
}

export interface QuotedPlaceholderWarning {
  message: string;
  hint: string;
}

/**
 * Whether a placeholder can carry arbitrary text: a string parameter (or one the step does not
 * declare). Numbers are checked as numbers, and flags render as the file's own text.
 */
function carriesText(placeholder: string, parameters: readonly { name: string; type: string }[]): boolean {
  if (placeholder === '{parameters}') return parameters.some((p) => p.type === 'string');
  const name = placeholder.slice(placeholder.indexOf(':') + 1, -1);
  const declared = parameters.find((p) => p.name === name);
  return declared === undefined || declared.type === 'string';
}

/** One warning per quoted placeholder of a step's command that can carry text. */
export function quotedPlaceholderWarnings(
  stepName: string,
  command: readonly string[],
  parameters: readonly { name: string; type: string }[] = [],
): QuotedPlaceholderWarning[] {
  const warnings: QuotedPlaceholderWarning[] = [];
  for (const line of command) {
    for (const placeholder of quotedPlaceholders(line)) {
      if (!carriesText(placeholder, parameters)) continue;
      warnings.push({
        message: `Step ${stepName}: ${placeholder} stands inside quotes in the command; a value holding a quote or $(…) would break out of them and run as shell code`,
        hint: `leave the placeholder unquoted (write ${placeholder}, not "${placeholder}"): the toolkit quotes each value for the shell itself`,
      });
    }
  }
  return warnings;
}
