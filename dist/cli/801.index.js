export const id = 801;
export const ids = [801];
export const modules = {

/***/ 6801:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   command: () => (/* binding */ command)
/* harmony export */ });
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7975);
/* harmony import */ var _monitor_profile_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1108);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4478);
/* harmony import */ var _util_fs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6174);




const usage = `Usage: mlops profile DATA [-o profile.json] [options]

Streams DATA (.csv/.tsv with a header row, or .jsonl/.ndjson; optionally .gz) once and writes its
reference profile: per column the type, counts, missing share, min/max, mean/std, quantiles, decile
edges, a fine histogram and capped category frequencies. Memory is bounded per column, not by the file.

Options:
  -o, --output FILE        write the profile here (default: print it)
  --categorical COL,...    treat these columns as categories even when their values are numbers
  --label COL              the label column (categorical; with --prediction the profile records accuracy)
  --prediction COL         the model's prediction column (categorical)`;
function list(text) {
    return text === undefined ? [] : text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}
const command = {
    summary: 'stream a CSV/JSONL file once and write its reference profile for drift checks',
    usage,
    async run(argv) {
        const { values, positionals } = (0,node_util__WEBPACK_IMPORTED_MODULE_0__.parseArgs)({
            args: argv,
            options: {
                output: { type: 'string', short: 'o' },
                categorical: { type: 'string' },
                label: { type: 'string' },
                prediction: { type: 'string' },
            },
            allowPositionals: true,
        });
        const [data, ...extra] = positionals;
        if (data === undefined || extra.length > 0)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`profile takes one data file.\n${usage}`);
        const profile = await (0,_monitor_profile_js__WEBPACK_IMPORTED_MODULE_1__/* .profileFile */ .aC)(data, {
            categorical: list(values.categorical),
            ...(values.label !== undefined ? { label: values.label } : {}),
            ...(values.prediction !== undefined ? { prediction: values.prediction } : {}),
        });
        if (values.output !== undefined) {
            await (0,_util_fs_js__WEBPACK_IMPORTED_MODULE_2__/* .writeJsonAtomic */ .q)(values.output, profile);
            process.stderr.write(`profiled ${profile.rows} rows, ${profile.columns.length} columns → ${values.output}\n`);
        }
        else {
            process.stdout.write(`${JSON.stringify(profile, null, 2)}\n`);
        }
        return 0;
    },
};


/***/ })

};
