/**
 * Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `1e3`), read the way the API server reads them
 * (k8s.io/apimachinery/pkg/api/resource: `<signedNumber><suffix>`, suffix one of the binary SI `Ki…Ei`,
 * the decimal SI `m "" k M G T P E`, or a decimal exponent `e<n>`/`E<n>`), so a limit can be compared
 * with its request before anything reaches a cluster.
 */
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Record<string, number>> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The value of a quantity as a number (base units: cores, bytes), or undefined when it is not one. */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign = '', digits = '', suffix = ''] = match;
  const number = Number(digits) * (sign === '-' ? -1 : 1);
  const factor = BINARY[suffix] ?? DECIMAL[suffix] ?? 10 ** Number(suffix.slice(1));
  const value = number * factor;
  return Number.isFinite(value) ? value : undefined;
}

export function isQuantity(text: string): boolean {
  return parseQuantity(text) !== undefined;
}
