export const id = 726;
export const ids = [726];
export const modules = {

/***/ 6726:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   command: () => (/* binding */ command)
/* harmony export */ });
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7975);
/* harmony import */ var _deploy_local_client_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8551);
/* harmony import */ var _store_project_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(879);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4478);




const usage = `Usage: mlops rollback [--deployment NAME] [--endpoint NAME] [--project-dir DIR] [--json]

Switches a local endpoint back to the version that served before the current one (started beside
it, health-checked, then given the traffic). Without names, the only local endpoint.`;
const command = {
    summary: 'switch a local endpoint back to its previous version',
    usage,
    async run(argv) {
        const { values } = (0,node_util__WEBPACK_IMPORTED_MODULE_0__.parseArgs)({
            args: argv,
            options: { deployment: { type: 'string' }, endpoint: { type: 'string' }, 'project-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
        });
        const daemon = await (0,_deploy_local_client_js__WEBPACK_IMPORTED_MODULE_1__/* .findDaemon */ .SL)((0,_store_project_js__WEBPACK_IMPORTED_MODULE_2__/* .projectDirFor */ .cv)(values['project-dir']));
        if (!daemon)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j('no local deployment is running (start one with `mlops deploy`)');
        const candidates = (await daemon.endpoints()).filter((e) => (values.deployment === undefined || e.deployment === values.deployment) && (values.endpoint === undefined || e.endpoint === values.endpoint));
        const chosen = candidates[0];
        if (!chosen || candidates.length > 1) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(chosen ? `several endpoints match (${candidates.map((e) => `${e.deployment}/${e.endpoint}`).join(', ')}); give --deployment and --endpoint` : 'no local endpoint matches');
        }
        const result = await daemon.rollback(chosen.deployment, chosen.endpoint);
        if (values.json)
            process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else
            process.stdout.write(`${result.ok ? 'rolled back: ' : 'rollback failed: '}${chosen.deployment}/${chosen.endpoint} ${result.message}\n`);
        return result.ok ? 0 : 1;
    },
};


/***/ })

};
