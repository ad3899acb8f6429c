/**
 * Edge keys match output paths the way Valohai's edges do: like Python's `fnmatch.fnmatchcase`, where
 * `*` matches any run of characters, `/` included (so `*.pkl` takes `models/a.pkl` too, and `**` means
 * the same as `*`), `?` one character, `[seq]` / `[!seq]` a set. The match is against the whole path
 * relative to the outputs folder, case-sensitive, dot files included.
 *
 * Difference from Valohai, documented: none known for these characters. (picomatch, used before, kept
 * `*` within one folder, so `*.pkl` missed `models/a.pkl`.)
 */

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Python's `fnmatch.translate`, as a JavaScript RegExp anchored at both ends. */
export function fnmatchRegExp(pattern: string): RegExp {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] ?? '';
    i += 1;
    if (ch === '*') {
      // Consecutive stars mean one star.
      while (pattern[i] === '*') i += 1;
      out += '[\\s\\S]*';
    } else if (ch === '?') {
      out += '[\\s\\S]';
    } else if (ch === '[') {
      let j = i;
      if (pattern[j] === '!') j += 1;
      if (pattern[j] === ']') j += 1;
      while (j < pattern.length && pattern[j] !== ']') j += 1;
      if (j >= pattern.length) {
        out += '\\[';
      } else {
        let body = pattern.slice(i, j);
        i = j + 1;
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        const escaped = body.replace(/\\/g, '\\\\').replace(/\^/g, '\\^').replace(/\[/g, '\\[').replace(/]/g, '\\]');
        out += negate ? `[^${escaped}]` : body === '' ? '(?!)' : `[${escaped}]`;
      }
    } else {
      out += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${out}$`);
}

/** A matcher for one edge key (FORMAT.md §3.3 "Wildcards in output keys"). */
export function fnmatcher(pattern: string): (path: string) => boolean {
  const re = fnmatchRegExp(pattern);
  return (path) => re.test(path);
}
