"""Reading an execution's inputs and parameters the Valohai way, with the standard library only.

Valohai (and the mlops toolkit, on a laptop or a GitHub runner) gives every execution:
  $VH_CONFIG_DIR/parameters.json   {name: value}, typed (a float parameter is a float)
  $VH_CONFIG_DIR/inputs.json       {input: {files: [{name, path, size, checksums, ...}]}}
  $VH_INPUTS_DIR/<input>/...       the input files
  $VH_OUTPUTS_DIR/                 everything written here is an output
On Valohai the folders are /valohai/config, /valohai/inputs and /valohai/outputs; the variables are set
in both places, so scripts that use them run everywhere. (valohai-utils' valohai.parameters(),
valohai.inputs() and valohai.outputs() read the same files; this helper avoids the dependency.)
"""
import json
import os


def _config(name):
    path = os.path.join(os.environ.get("VH_CONFIG_DIR", "/valohai/config"), name)
    with open(path) as f:
        return json.load(f)


def parameters():
    """The execution's parameter values, typed as the step declares them."""
    return _config("parameters.json")


def input_paths(name):
    """Paths of every file of an input, in inputs.json order (the file's `name` is its path in the input)."""
    files = _config("inputs.json").get(name, {}).get("files", [])
    return [f["path"] for f in files]


def input_files(name):
    """(name, path) of every file of an input; `name` keeps sub-folders (`train-sweep-1/model.pkl`)."""
    files = _config("inputs.json").get(name, {}).get("files", [])
    return [(f["name"], f["path"]) for f in files]


def output_path(relative):
    """Where to write an output file, its folders made."""
    path = os.path.join(os.environ.get("VH_OUTPUTS_DIR", "/valohai/outputs"), relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def log_metadata(**values):
    """One metadata event: a JSON object on its own stdout line (what Valohai and mlops collect)."""
    print(json.dumps(values), flush=True)
