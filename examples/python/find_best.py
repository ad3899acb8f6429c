"""Pick the best model of the sweep: highest accuracy, ties to the higher f1_macro (the same rule as
the pipeline file's x-mlops selection). Each training execution's files arrive in a folder of its own."""
import json
import os
import shutil

import vh

candidates = {}
for name, path in vh.input_files("candidates"):
    folder, base = os.path.split(name)
    candidates.setdefault(folder, {})[base] = path

ranked = []
for folder, files in sorted(candidates.items()):
    if "metrics.json" not in files or "model.pkl" not in files:
        continue
    with open(files["metrics.json"]) as f:
        metrics = json.load(f)
    ranked.append((metrics["accuracy"], metrics["f1_macro"], folder, files["model.pkl"], metrics))
if not ranked:
    raise SystemExit("no candidate has both model.pkl and metrics.json")
ranked.sort(key=lambda item: (-item[0], -item[1], item[2]))
accuracy, f1, folder, model_path, metrics = ranked[0]
shutil.copyfile(model_path, vh.output_path("model.pkl"))
with open(vh.output_path("best.json"), "w") as f:
    json.dump({"from": folder, **metrics}, f)
vh.log_metadata(best_accuracy=accuracy, best_f1_macro=f1, best_from=folder)
