"""Split the labelled digits into train.csv and test.csv (64 pixel columns + label)."""
import numpy as np
import pandas as pd

import vh

params = vh.parameters()
[dataset] = vh.input_paths("dataset")
frame = pd.read_csv(dataset, header=None)
frame.columns = [f"p{i}" for i in range(frame.shape[1] - 1)] + ["label"]
rng = np.random.default_rng(params["seed"])
order = rng.permutation(len(frame))
test_size = int(round(len(frame) * params["test_fraction"]))
test, train = frame.iloc[order[:test_size]], frame.iloc[order[test_size:]]
train.to_csv(vh.output_path("train.csv"), index=False)
test.to_csv(vh.output_path("test.csv"), index=False)
vh.log_metadata(train_rows=len(train), test_rows=len(test))
