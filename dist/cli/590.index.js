export const id = 590;
export const ids = [590];
export const modules = {

/***/ 5590:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   command: () => (/* binding */ command)
/* harmony export */ });
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7975);
/* harmony import */ var _deploy_local_client_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8551);
/* harmony import */ var _deploy_local_manager_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1291);
/* harmony import */ var _store_project_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(879);




const usage = `Usage: mlops endpoints [--json] [--project-dir DIR]

Lists the local endpoints: URL, the version serving, and every version with its model and status.

Options:
  --json              print the endpoint states as JSON
  --project-dir DIR   the project folder (default: .mlops in the repository)`;
const command = {
    summary: 'list local endpoints and their versions',
    usage,
    async run(argv) {
        const { values } = (0,node_util__WEBPACK_IMPORTED_MODULE_0__.parseArgs)({ args: argv, options: { json: { type: 'boolean', default: false }, 'project-dir': { type: 'string' } } });
        const projectDir = (0,_store_project_js__WEBPACK_IMPORTED_MODULE_3__/* .projectDirFor */ .cv)(values['project-dir']);
        const daemon = await (0,_deploy_local_client_js__WEBPACK_IMPORTED_MODULE_1__/* .findDaemon */ .SL)(projectDir);
        // Without a daemon nothing serves: show the recorded state, marked as not running.
        const endpoints = daemon ? await daemon.endpoints() : (await (0,_deploy_local_manager_js__WEBPACK_IMPORTED_MODULE_2__/* .readState */ .un)(projectDir)).endpoints.map((e) => ({ ...e, active: undefined }));
        if (values.json) {
            process.stdout.write(`${JSON.stringify({ daemon: daemon !== undefined, endpoints }, null, 2)}\n`);
            return 0;
        }
        if (endpoints.length === 0) {
            process.stdout.write('no local endpoints\n');
            return 0;
        }
        for (const endpoint of endpoints) {
            const serving = endpoint.active === undefined ? 'not serving' : `v${endpoint.active} serving at ${endpoint.url}`;
            process.stdout.write(`${endpoint.deployment}/${endpoint.endpoint}: ${serving}\n`);
            for (const version of endpoint.versions) {
                const from = version.source.kind === 'run' ? `run ${version.source.runId} node ${version.source.node}` : `folder ${version.source.path}`;
                process.stdout.write(`  v${version.number}  ${version.status.padEnd(8)}  model ${version.modelVersion}  ${from}${version.reason ? `  (${version.reason.split('\n')[0] ?? ''})` : ''}\n`);
            }
        }
        return 0;
    },
};


/***/ })

};
