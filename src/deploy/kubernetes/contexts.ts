/**
 * Both images' build contexts for one deploy, as `mlops deploy --build-context DIR` and the deploy action's
 * `build` operation write them: `DIR/server` (the repository at the deployed commit on the endpoint's image)
 * unless a prebuilt server image is given, `DIR/model` (the model version as a modelcar) unless a published
 * model image is given, and `DIR/build.json` saying what was written and where each image is to be pushed.
 */
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from '../../util/fs.js';
import type { ResolvedDeploy } from '../resolve.js';
import { writeServerBuildContext } from './build-context.js';
import { writeModelImageContext } from './model-image.js';
import type { KubernetesOptions } from './options.js';

export interface BuiltContexts {
  server: { context: string; commit: string; repository?: string; reference?: string } | { image: string; prebuilt: true };
  model?: { context: string; repository: string; reference: string; tag: string; version: string } | { image: string; prebuilt: true };
}

export async function writeBuildContexts(resolved: ResolvedDeploy, options: KubernetesOptions, commit: string, dir: string): Promise<BuiltContexts> {
  const root = resolve(dir);
  let server: BuiltContexts['server'];
  if (options.image) server = { image: options.image, prebuilt: true };
  else {
    const written = await writeServerBuildContext(resolved.request, options, resolved.repositoryDir, commit, join(root, 'server'));
    server = { context: written.dir, commit: written.commit, ...(options.imageRepository ? { repository: options.imageRepository } : {}), ...(written.reference ? { reference: written.reference } : {}) };
  }
  let model: BuiltContexts['model'];
  if (options.modelImage) model = { image: options.modelImage, prebuilt: true };
  else if (options.modelImageRepository) {
    const written = await writeModelImageContext(resolved.request.version, options, join(root, 'model'));
    model = { context: written.dir, repository: options.modelImageRepository, reference: written.reference, tag: written.tag, version: resolved.request.version.id };
  }
  const built: BuiltContexts = { server, ...(model ? { model } : {}) };
  await writeJsonAtomic(join(root, 'build.json'), built);
  return built;
}
