"""Predict a digit for every row of a CSV of raw pixels (64 columns, no header)."""
import pickle

import pandas as pd

import vh

[model_path] = vh.input_paths("model")
with open(model_path, "rb") as f:
    bundle = pickle.load(f)
rows = 0
with open(vh.output_path("predictions.csv"), "w") as out:
    out.write("row,prediction\n")
    for data_path in vh.input_paths("data"):
        frame = pd.read_csv(data_path, header=None)
        for index, prediction in enumerate(bundle["model"].predict(frame.to_numpy())):
            out.write(f"{rows + index},{int(prediction)}\n")
        rows += len(frame)
vh.log_metadata(rows=rows)
