/**
 * Image outputs of the compared executions, for the pull request comment. A step declares a picture the
 * way Valohai users do: by writing it to its outputs (`/valohai/outputs/confusion-matrix.png`); Valohai
 * previews image outputs in its UI, and here every `.png` and `.svg` output of the winner (and the
 * executions it received its files from, e.g. its training) and of the next-ranked candidates is picked
 * up, without any declaration of its own. Bounded: at most `MAX_OUTPUT_IMAGES` pictures, each at most
 * `MAX_IMAGE_BYTES`, from the winner and `MAX_OTHER_CANDIDATES` more candidates; what is left out is said.
 *
 * The bytes are the user's: before a picture is hosted its sha256 must equal the one the run record
 * holds (a mismatch is an error, never a wrong picture), a PNG must start with the PNG signature, and an
 * SVG is refused (shown as text instead) when it holds a script, an event handler, a `javascript:` URL,
 * a `foreignObject`, a DOCTYPE/entity, or any reference outside the file (`href` to anything but `#id`
 * or an embedded `data:image/png|jpeg|gif`, CSS `url(…)` or `@import` of another document). GitHub
 * serves raw SVG with a restrictive content security policy too; this check keeps such files off the
 * user's image branch in the first place.
 */
import { createHash } from 'node:crypto';
import type { Selection, CandidateRow } from '../compare/rule.js';
import { ConfigurationError } from '../util/errors.js';

export const MAX_OUTPUT_IMAGES = 6;
export const MAX_IMAGE_BYTES = 1024 * 1024;
export const MAX_OTHER_CANDIDATES = 2;

export type ImageKind = 'png' | 'svg';

/** One image output to show: whose it is, and what the run record says about its bytes. */
export interface OutputImage {
  node: string;
  executionId: string;
  /** Path below the execution's outputs. */
  path: string;
  sha256: string;
  size: number;
  kind: ImageKind;
  /** The winner's own (or its upstream's) picture, or another candidate's. */
  role: 'winner' | 'candidate';
}

export interface SelectedImages {
  images: OutputImage[];
  /** Pictures found but not shown, with why (over the count or size cap). */
  skipped: { image: OutputImage; reason: string }[];
}

export function imageKind(path: string): ImageKind | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.png')) return 'png';
  if (lower.endsWith('.svg')) return 'svg';
  return undefined;
}

function rowImages(row: CandidateRow, role: OutputImage['role']): OutputImage[] {
  const own = row.outputs.map((output) => ({ node: row.node, executionId: row.executionId, ...output }));
  const upstream = role === 'winner' ? (row.upstream ?? []).flatMap((up) => up.outputs.map((output) => ({ node: up.node, executionId: up.executionId, ...output }))) : [];
  const found: OutputImage[] = [];
  for (const file of [...own, ...upstream]) {
    const kind = imageKind(file.path);
    if (kind) found.push({ node: file.node, executionId: file.executionId, path: file.path, sha256: file.sha256, size: file.size, kind, role });
  }
  return found;
}

/** The winner's pictures first, then those of the next-ranked eligible candidates, deduplicated by content. */
export function selectOutputImages(selection: Selection): SelectedImages {
  const rows = selection.table.filter((row) => row.eligible).sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  const winner = rows.find((row) => row.winner);
  const others = rows.filter((row) => !row.winner).slice(0, MAX_OTHER_CANDIDATES);
  const all = [...(winner ? rowImages(winner, 'winner') : []), ...others.flatMap((row) => rowImages(row, 'candidate'))];
  const seen = new Set<string>();
  const result: SelectedImages = { images: [], skipped: [] };
  for (const image of all) {
    if (seen.has(image.sha256)) continue;
    seen.add(image.sha256);
    if (image.size > MAX_IMAGE_BYTES) result.skipped.push({ image, reason: `larger than ${MAX_IMAGE_BYTES / 1024} KiB` });
    else if (result.images.length >= MAX_OUTPUT_IMAGES) result.skipped.push({ image, reason: `over ${MAX_OUTPUT_IMAGES} pictures` });
    else result.images.push(image);
  }
  return result;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Why an SVG may not be hosted, or undefined when it is a self-contained picture. */
export function unsafeSvgReason(text: string): string | undefined {
  if (!/<svg[\s>]/i.test(text)) return 'not an SVG document';
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return 'it declares a DOCTYPE or entities';
  if (/<script[\s>/]/i.test(text)) return 'it holds a script';
  if (/<foreignObject[\s>/]/i.test(text)) return 'it holds a foreignObject';
  if (/\son[a-z]+\s*=/i.test(text)) return 'it holds an event handler attribute';
  if (/javascript:/i.test(text)) return 'it holds a javascript: URL';
  if (/@import/i.test(text)) return 'it imports a style sheet';
  for (const match of text.matchAll(/(?:\s(?:xlink:)?href|\ssrc)\s*=\s*("([^"]*)"|'([^']*)')/gi)) {
    const target = (match[2] ?? match[3] ?? '').trim();
    if (!target.startsWith('#') && !/^data:image\/(png|jpeg|gif);/i.test(target)) return `it references ${target.slice(0, 80) || 'an empty URL'}`;
  }
  for (const match of text.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) {
    const target = (match[2] ?? '').trim();
    if (!target.startsWith('#') && !/^data:image\/(png|jpeg|gif);/i.test(target)) return `it references ${target.slice(0, 80)} in a style`;
  }
  return undefined;
}

/**
 * Checks an image's bytes before hosting: the sha256 the run record holds (a mismatch throws: the file
 * is not the one the run produced), then the format. Returns why the picture may not be shown, or
 * undefined when it may.
 */
export function checkOutputImage(image: OutputImage, bytes: Uint8Array): string | undefined {
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== image.sha256) {
    throw new ConfigurationError(`output ${image.path} of ${image.node} has sha256 ${digest}, but the run record says ${image.sha256}: not showing a picture the run did not produce`);
  }
  if (bytes.length > MAX_IMAGE_BYTES) return `larger than ${MAX_IMAGE_BYTES / 1024} KiB`;
  if (image.kind === 'png') return Buffer.from(bytes.subarray(0, 8)).equals(PNG_SIGNATURE) ? undefined : 'not a PNG file';
  return unsafeSvgReason(Buffer.from(bytes).toString('utf8'));
}

/** Alt text and file name on the image branch: `<node>: <path>`, `<node>--<path>`. */
export function imageTitle(image: OutputImage): string {
  return `${image.node}: ${image.path}`;
}

/**
 * File names on the image branch, one per picture (`<node>--<path with / as -->`): two variants of a task
 * node share the node's name, so a repeated name gets `-2`, `-3` before its extension. `taken`: names
 * already used in the folder (the report's chart).
 */
export function pictureFileNames(images: OutputImage[], taken: string[] = []): string[] {
  const used = new Set(taken);
  return images.map((image) => {
    const base = `${image.node}--${image.path.replace(/\//g, '--')}`;
    let name = base;
    for (let index = 2; used.has(name); index++) name = base.replace(/(\.[A-Za-z]+)?$/, (extension) => `-${index}${extension}`);
    used.add(name);
    return name;
  });
}

/** The text that stands for pictures that cannot be shown (a fork's pull request): names and checksums. */
export function imagesAsText(images: OutputImage[], reason: string): string {
  if (images.length === 0) return '';
  const lines = images.map((image) => `- \`${image.node}/${image.path}\` (${image.kind.toUpperCase()}, ${image.size} bytes, sha256 \`${image.sha256}\`)`);
  return [`_Output pictures not shown (${reason.replace(/\n/g, ' ')}); they are in the run's artifacts:_`, ...lines].join('\n');
}
