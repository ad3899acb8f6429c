"""Train one scikit-learn classifier, evaluate it on the held-out split, save model.pkl and metrics.json."""
import json
import pickle
import time

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import vh

params = vh.parameters()
[train_path] = vh.input_paths("train")
[test_path] = vh.input_paths("test")
train, test = pd.read_csv(train_path), pd.read_csv(test_path)
features = [c for c in train.columns if c != "label"]

if params["model"] == "logistic":
    model = make_pipeline(StandardScaler(), LogisticRegression(C=params["C"], max_iter=params["max_iter"]))
elif params["model"] == "forest":
    model = RandomForestClassifier(n_estimators=params["n_estimators"], random_state=params["seed"])
else:
    raise SystemExit(f"unknown model {params['model']!r}: use logistic or forest")

started = time.perf_counter()
model.fit(train[features].to_numpy(), train["label"].to_numpy())
seconds = time.perf_counter() - started
predicted = model.predict(test[features].to_numpy())
metrics = {
    "accuracy": round(float(accuracy_score(test["label"], predicted)), 6),
    "f1_macro": round(float(f1_score(test["label"], predicted, average="macro")), 6),
    "train_seconds": round(seconds, 3),
}
with open(vh.output_path("model.pkl"), "wb") as f:
    pickle.dump({"model": model, "features": features, "params": params}, f)
with open(vh.output_path("metrics.json"), "w") as f:
    json.dump(metrics, f)
vh.log_metadata(**metrics)
