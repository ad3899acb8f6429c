export const id = 868;
export const ids = [868];
export const modules = {

/***/ 8868:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   command: () => (/* binding */ command)
/* harmony export */ });
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7975);
/* harmony import */ var _pipeline_load_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9395);
/* harmony import */ var _pipeline_diagnostics_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7479);
/* harmony import */ var _pipeline_graph_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7095);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4478);





const usage = `Usage: mlops graph [FILE] --pipeline NAME

Prints the pipeline's DAG as a Mermaid flowchart (paste it into a Markdown \`\`\`mermaid block).`;
const command = {
    summary: 'print a pipeline as a Mermaid flowchart',
    usage,
    async run(argv) {
        const { values, positionals } = (0,node_util__WEBPACK_IMPORTED_MODULE_0__.parseArgs)({
            args: argv,
            options: { pipeline: { type: 'string', short: 'p' } },
            allowPositionals: true,
        });
        const file = positionals[0] ?? 'valohai.yaml';
        const result = await (0,_pipeline_load_js__WEBPACK_IMPORTED_MODULE_1__/* .loadPipelineFile */ .fH)(file);
        for (const diagnostic of result.diagnostics)
            process.stderr.write(`${(0,_pipeline_diagnostics_js__WEBPACK_IMPORTED_MODULE_2__/* .formatDiagnostic */ .xy)(diagnostic)}\n`);
        if (!result.config)
            return 1;
        const names = [...result.config.pipelines.keys()];
        const name = values.pipeline ?? (names.length === 1 ? names[0] : undefined);
        if (name === undefined) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(names.length === 0
                ? `${file} declares no pipeline; add a '- pipeline:' item.`
                : `choose a pipeline with --pipeline NAME (one of: ${names.join(', ')}).`);
        }
        const pipeline = result.config.pipelines.get(name);
        if (!pipeline) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`no pipeline named '${name}' in ${file} (declared: ${names.join(', ') || 'none'}).`);
        }
        process.stdout.write(`${(0,_pipeline_graph_js__WEBPACK_IMPORTED_MODULE_4__/* .pipelineToMermaid */ .jB)(pipeline)}\n`);
        return 0;
    },
};


/***/ })

};
