/**
 * The bytes of the image outputs the report shows (src/report/output-images.ts), from where the run left
 * them: the node artifacts of this workflow run (each file verified against the artifact's manifest on
 * download), or the project folder's content store for a local run (`.mlops/store`, by sha256). The
 * caller then checks each against the sha256 of the run record before hosting it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifactNameCandidates, downloadNodeArtifact } from '../adapters/artifacts.js';
import type { Selection } from '../compare/rule.js';
import { checkOutputImage, imagesAsText, imageTitle, pictureFileNames, selectOutputImages, type OutputImage } from '../report/output-images.js';
import { imagesMarkdown, type HostedImages, type ReportImage } from './report-images.js';
import { ContentStore } from '../store/content-store.js';
import { projectPaths } from '../store/runs.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { OUTPUTS_PREFIX } from './node-artifact.js';

/** Bytes by image (same order); one artifact download per execution. */
export async function imagesFromWorkflowRun(images: OutputImage[], options: { pipeline: string; runAttempt: number; tempDir?: string }): Promise<Uint8Array[]> {
  const byExecution = new Map<string, OutputImage[]>();
  for (const image of images) {
    const key = `${image.node}\u0000${image.executionId}`;
    byExecution.set(key, [...(byExecution.get(key) ?? []), image]);
  }
  const bytes = new Map<OutputImage, Uint8Array>();
  const scratch = await mkdtemp(join(options.tempDir ?? tmpdir(), 'mlops-output-images-'));
  try {
    for (const wanted of byExecution.values()) {
      const { node, executionId } = wanted[0]!;
      const paths = new Set(wanted.map((image) => `${OUTPUTS_PREFIX}${image.path}`));
      // A task variant's artifact is named by its execution id; any other node's by the node alone.
      const names = [
        ...artifactNameCandidates({ pipeline: options.pipeline, node, variant: executionId, runAttempt: options.runAttempt }),
        ...artifactNameCandidates({ pipeline: options.pipeline, node, runAttempt: options.runAttempt }),
      ];
      const destination = await mkdtemp(join(scratch, 'node-'));
      const { manifest } = await downloadNodeArtifact({ name: names, destination, select: (path) => paths.has(path) });
      if (manifest.node !== node || manifest.executionId !== executionId) {
        throw new ConfigurationError(`the artifact of node "${node}" holds execution ${manifest.executionId}, not ${executionId} that the decision names`);
      }
      for (const image of wanted) {
        const data = await readFile(join(destination, OUTPUTS_PREFIX, image.path)).catch((error: unknown) => {
          throw new ConfigurationError(`output ${image.path} of ${node} is not in its artifact: ${getErrorMessage(error)}`);
        });
        bytes.set(image, data);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return images.map((image) => bytes.get(image) ?? new Uint8Array());
}

/** Bytes by image from a local project's content store (the run's outputs are kept there by sha256). */
export async function imagesFromProject(images: OutputImage[], projectDir: string): Promise<Uint8Array[]> {
  const store = new ContentStore(projectPaths(projectDir).storeDir);
  const found: Uint8Array[] = [];
  for (const image of images) {
    found.push(
      await readFile(store.pathOf(image.sha256)).catch((error: unknown) => {
        throw new ConfigurationError(`output ${image.path} of ${image.node} (sha256 ${image.sha256}) is not in ${store.root}: ${getErrorMessage(error)}`);
      }),
    );
  }
  return found;
}

export interface CollectedOutputImages {
  /** Checked pictures to host, in the order shown (winner first). */
  pictures: { image: OutputImage; bytes: Uint8Array }[];
  /** Found but not shown: over a cap, or refused by the checks (an unsafe SVG, not a PNG). */
  notShown: { image: OutputImage; reason: string }[];
}

/**
 * The decision's image outputs, fetched and checked: from the project's content store when the decision
 * is a local run's (`runId`), else from this workflow run's node artifacts.
 */
export async function collectOutputImages(
  selection: Selection,
  /** Asked only when there are pictures to fetch (a workflow run's source needs the runner's environment). */
  sourceOf: () => { kind: 'project'; projectDir: string } | { kind: 'workflow-run'; pipeline: string; runAttempt: number; tempDir?: string },
): Promise<CollectedOutputImages> {
  const selected = selectOutputImages(selection);
  const result: CollectedOutputImages = { pictures: [], notShown: [...selected.skipped] };
  if (selected.images.length === 0) return result;
  const source = sourceOf();
  const bytes = source.kind === 'project' ? await imagesFromProject(selected.images, source.projectDir) : await imagesFromWorkflowRun(selected.images, source);
  selected.images.forEach((image, index) => {
    const data = bytes[index] ?? new Uint8Array();
    const refused = checkOutputImage(image, data);
    if (refused === undefined) result.pictures.push({ image, bytes: data });
    else result.notShown.push({ image, reason: refused });
  });
  return result;
}

/** The checked outputs as pictures to host beside `pictures` (the chart): unique names, alt text `<node>: <path>`. */
export function outputReportImages(outputs: CollectedOutputImages, pictures: ReportImage[]): ReportImage[] {
  const names = pictureFileNames(outputs.pictures.map(({ image }) => image), pictures.map((picture) => picture.name));
  return outputs.pictures.map(({ image, bytes }, index) => ({
    name: names[index] ?? image.path,
    bytes,
    title: `${imageTitle(image)}${image.role === 'winner' ? ' (winner)' : ''}`,
  }));
}

/**
 * The comment's pictures: hosted, the chart and the image files, then the executions' image outputs, each
 * with its alt text; not hosted (a token that cannot write), a line for the chart and the outputs' names
 * and checksums. Outputs refused or over a cap are listed with why.
 */
export function outputImagesMarkdown(pictures: ReportImage[], outputs: CollectedOutputImages, hosted: HostedImages): string {
  const parts: string[] = [];
  if (hosted.hosted) {
    // The links cover the chart, the image files and the outputs, in that order.
    parts.push(imagesMarkdown(hosted.links.map((link) => link.image), hosted));
  } else {
    parts.push(imagesMarkdown(pictures, hosted));
    parts.push(imagesAsText(outputs.pictures.map(({ image }) => image), 'the comment cannot host pictures: no write access to the image branch'));
  }
  if (outputs.notShown.length > 0) {
    parts.push(`_Image outputs not shown: ${outputs.notShown.map(({ image, reason }) => `\`${image.node}/${image.path}\` (${reason})`).join('; ')}._`);
  }
  return parts.filter((part) => part !== '').join('\n\n');
}
