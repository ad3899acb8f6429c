export const id = 363;
export const ids = [363];
export const modules = {

/***/ 3363:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   command: () => (/* binding */ command)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7975);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4478);
/* harmony import */ var _run_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1903);
/* harmony import */ var _exec_container_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2067);
/* harmony import */ var _store_project_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(879);






const usage = `Usage: mlops exec [FILE] --step NAME [options]

Runs one step of FILE (default ./valohai.yaml) as a one-node run, printing its output as it runs.

Options:
  --step NAME            the step to run
  --param NAME=VALUE     a parameter value (repeatable)
  --input NAME=PATH|URL  files for an input instead of its defaults (repeatable)
  --reuse                take the result of an identical earlier execution instead of running
  --container[=ENGINE]   run the step in its image with docker or podman (default: the first on PATH),
                         its folders mounted at /valohai/{inputs,outputs,config,repository}
  --project-dir DIR      where runs and the artifact store live (default: .mlops next to FILE)`;
/** A one-node pipeline around a step, so that `exec` records a run like any other. */
function singleStepPipeline(step, file) {
    const node = step.replace(/[^A-Za-z0-9_-]+/g, '-');
    const position = { file, line: 1, col: 1 };
    return {
        node,
        pipeline: {
            name: `step:${step}`,
            nodes: [{ type: 'execution', name: node, step, actions: [], onError: 'stop-all', edgeMergeMode: 'replace', position }],
            edges: [],
            parameters: [],
            reuseExecutions: false,
            position,
        },
    };
}
const command = {
    summary: 'run one step of the pipeline file',
    usage,
    async run(argv) {
        const flag = (0,_run_js__WEBPACK_IMPORTED_MODULE_2__.takeContainerFlag)(argv);
        const { values, positionals } = (0,node_util__WEBPACK_IMPORTED_MODULE_1__.parseArgs)({
            args: flag.argv,
            options: {
                step: { type: 'string' },
                param: { type: 'string', multiple: true, default: [] },
                input: { type: 'string', multiple: true, default: [] },
                reuse: { type: 'boolean', default: false },
                'project-dir': { type: 'string' },
            },
            allowPositionals: true,
        });
        if (positionals.length > 1)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`exec takes one file, got ${positionals.length}`);
        const file = positionals[0] ?? 'valohai.yaml';
        const config = await (0,_run_js__WEBPACK_IMPORTED_MODULE_2__.loadConfigOrExplain)(file);
        const stepName = values.step;
        if (stepName === undefined || !config.steps.has(stepName)) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`choose a step with --step NAME (steps in ${file}: ${[...config.steps.keys()].join(', ') || 'none'})`);
        }
        const { pipeline, node } = singleStepPipeline(stepName, config.file);
        config.pipelines.set(pipeline.name, pipeline);
        const parameters = {};
        for (const [k, v] of Object.entries((0,_run_js__WEBPACK_IMPORTED_MODULE_2__.parsePairs)(values.param, '--param')))
            parameters[`${node}.${k}`] = v;
        const inputs = {};
        for (const [k, v] of Object.entries((0,_run_js__WEBPACK_IMPORTED_MODULE_2__.parseMultiPairs)(values.input, '--input')))
            inputs[`${node}.${k}`] = v.map(_run_js__WEBPACK_IMPORTED_MODULE_2__.absoluteUnlessUrl);
        const repositoryDir = (0,_store_project_js__WEBPACK_IMPORTED_MODULE_4__/* .repositoryRoot */ .Hn)((0,node_path__WEBPACK_IMPORTED_MODULE_0__.dirname)((0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(file)));
        const container = flag.container === undefined ? undefined : await (0,_exec_container_js__WEBPACK_IMPORTED_MODULE_3__/* .findContainerRuntime */ .nW)(flag.container);
        const run = await (0,_run_js__WEBPACK_IMPORTED_MODULE_2__.runWithProgress)({
            config,
            pipeline: pipeline.name,
            repositoryDir,
            projectDir: (0,_store_project_js__WEBPACK_IMPORTED_MODULE_4__/* .projectDirFor */ .cv)(values['project-dir'], file, true),
            parameters,
            inputs,
            reuse: values.reuse,
            jobs: 1,
            streamLines: true,
            container,
        });
        process.stdout.write(`run ${run.id}: ${run.status}${run.reason ? ` (${run.reason})` : ''}\n`);
        return (0,_run_js__WEBPACK_IMPORTED_MODULE_2__.exitCodeOf)(run);
    },
};


/***/ })

};
