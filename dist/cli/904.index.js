export const id = 904;
export const ids = [904];
export const modules = {

/***/ 8904:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   command: () => (/* binding */ command)
/* harmony export */ });
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7975);
/* harmony import */ var _pipeline_load_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9395);
/* harmony import */ var _pipeline_diagnostics_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7479);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4478);




const usage = `Usage: mlops validate [FILE] [--json]

Checks a pipeline file (default ./valohai.yaml) and prints every problem as
file:line:col: severity: message. Exit code 0 when valid or warnings only, 1 on errors.

Options:
  --json    print {file, valid, errors, warnings, diagnostics[]} for machines`;
const command = {
    summary: 'check a pipeline file and print every problem with file:line:col',
    usage,
    async run(argv) {
        const { values, positionals } = (0,node_util__WEBPACK_IMPORTED_MODULE_0__.parseArgs)({
            args: argv,
            options: { json: { type: 'boolean', default: false } },
            allowPositionals: true,
        });
        if (positionals.length > 1)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j(`validate takes one file, got ${positionals.length}. ${usage}`);
        const file = positionals[0] ?? 'valohai.yaml';
        const result = await (0,_pipeline_load_js__WEBPACK_IMPORTED_MODULE_1__/* .loadPipelineFile */ .fH)(file);
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
        if (values.json) {
            process.stdout.write(`${JSON.stringify({ file, valid: errors.length === 0, errors: errors.length, warnings: warnings.length, diagnostics: result.diagnostics }, null, 2)}\n`);
        }
        else {
            for (const diagnostic of result.diagnostics) {
                const stream = diagnostic.severity === 'error' ? process.stderr : process.stdout;
                stream.write(`${(0,_pipeline_diagnostics_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDiagnostic */ .xy)(diagnostic)}\n`);
            }
            const verdict = errors.length > 0 ? 'invalid' : 'valid';
            process.stdout.write(`${file}: ${verdict} (${errors.length} error(s), ${warnings.length} warning(s))\n`);
        }
        return errors.length > 0 ? 1 : 0;
    },
};


/***/ })

};
