"""Exports reference losses and gradients from MONAI's own loss classes, for issue 20's parity tests.

Run with Debian's python3-torch (no Python package index needed), MONAI's source tree on the path:

    git -C <MONAI clone> archive <commit> monai | tar -x -C /tmp/monai
    /usr/bin/python3 export_monai.py /tmp/monai <commit> > monai.json

The MONAI modules are imported unmodified from that path; nothing of them is copied here.
Every input is a float32 draw widened to float64; the losses run in float64 with one thread.
"""
import hashlib
import json
import platform
import subprocess
import sys

monai_root, commit = sys.argv[1], sys.argv[2]
sys.path.insert(0, monai_root)

import numpy  # noqa: E402
import torch  # noqa: E402
from monai.losses.dice import DiceLoss, GeneralizedDiceLoss  # noqa: E402
from monai.losses.focal_loss import FocalLoss, sigmoid_focal_loss, softmax_focal_loss  # noqa: E402
from monai.networks.utils import one_hot  # noqa: E402

torch.set_num_threads(1)
SEED = 20261205


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def draw(generator, shape, scale=2.0):
    return (torch.randn(shape, generator=generator, dtype=torch.float32) * scale).double()


def class_ids(generator, batch, classes, h, w, absent=None):
    ids = torch.randint(0, classes, (batch, h, w), generator=generator)
    if absent is not None:  # one class missing from every image
        ids[ids == absent] = (absent + 1) % classes
    return ids


def tensor(t):
    return {"shape": list(t.shape), "data": [float(v) if t.is_floating_point() else int(v) for v in t.flatten().tolist()]}


class Float64Focal:
    """MONAI's FocalLoss casts its input to float32 (``input.float()``) before MONAI's focal functions.

    For float64 reference values this calls the same module-level functions, ``softmax_focal_loss``
    and ``sigmoid_focal_loss``, on the float64 input, then does what FocalLoss.forward does after
    them with the arguments used here (per-class ``weight`` along the class axis, ``reduction="mean"``).
    ``run`` checks the result against FocalLoss itself, to float32 accuracy.
    """

    def __init__(self, use_softmax, gamma, to_onehot_y=False, weight=None, alpha=None):
        self.params = dict(use_softmax=use_softmax, gamma=gamma, to_onehot_y=to_onehot_y, weight=weight,
                           alpha=alpha)

    def __call__(self, x, target):
        p = self.params
        if p["to_onehot_y"]:
            target = one_hot(target, num_classes=x.shape[1])
        focal = softmax_focal_loss if p["use_softmax"] else sigmoid_focal_loss
        loss = focal(x, target.to(x.dtype), p["gamma"], p["alpha"])
        if p["weight"] is not None:
            loss = torch.as_tensor(p["weight"], dtype=x.dtype).view([-1] + [1] * (x.dim() - 2)) * loss
        return loss.mean()


def run(name, factory, params, logits, label, label_kind, reference):
    x = logits.clone().requires_grad_(True)
    if reference == "FocalLoss":
        loss = Float64Focal(**params)(x, label)
        loss.backward()
        y = logits.clone().requires_grad_(True)  # the class itself, in float32 inside
        check = FocalLoss(**params)(y, label)
        check.backward()
        assert abs(check.item() - loss.item()) <= 1e-6 * max(1.0, abs(loss.item())), (name, check.item(), loss.item())
        assert (y.grad - x.grad).abs().max().item() <= 1e-7, (name, (y.grad - x.grad).abs().max().item())
    else:
        loss = factory(**params)(x, label)
        loss.backward()
    return {
        "name": name,
        "function": reference,
        "params": params,
        "label_kind": label_kind,
        "inputs": {"logits": tensor(logits), "label": tensor(label.squeeze(1) if label_kind == "class_ids" else label)},
        "expected": {"loss": loss.item(), "grad_logits": tensor(x.grad)},
    }


cases = []
g = torch.Generator().manual_seed(SEED)

# Generalized Dice (Sudre et al. 2017), softmax over class ids.
for b, c, h, w, absent in [(2, 3, 5, 7, None), (2, 4, 6, 5, 2)]:
    logits = draw(g, (b, c, h, w))
    ids = class_ids(g, b, c, h, w, absent).unsqueeze(1)
    for w_type in ["square", "simple", "uniform"]:
        for batch in [False, True]:
            for include_background in [True, False]:
                params = {"softmax": True, "to_onehot_y": True, "w_type": w_type, "batch": batch,
                          "include_background": include_background}
                name = f"gdl_{w_type}_batch{int(batch)}_bg{int(include_background)}_b{b}c{c}h{h}w{w}" + (
                    f"_absent{absent}" if absent is not None else "")
                cases.append(run(name, GeneralizedDiceLoss, params, logits, ids, "class_ids", "GeneralizedDiceLoss"))

# Dice: multilabel sigmoid (0/1 targets of the logits' shape), and softmax over class ids.
for b, c, h, w in [(2, 3, 5, 7)]:
    logits = draw(g, (b, c, h, w))
    multilabel = (torch.rand((b, c, h, w), generator=g) < 0.4).double()
    multilabel[1, 2] = 0  # an empty channel
    ids = class_ids(g, b, c, h, w).unsqueeze(1)
    for batch in [False, True]:
        for include_background in [True, False]:
            params = {"sigmoid": True, "batch": batch, "include_background": include_background}
            cases.append(run(f"dice_sigmoid_batch{int(batch)}_bg{int(include_background)}_b{b}c{c}h{h}w{w}",
                             DiceLoss, params, logits, multilabel, "multilabel", "DiceLoss"))
            params = {"softmax": True, "to_onehot_y": True, "batch": batch, "include_background": include_background}
            cases.append(run(f"dice_softmax_batch{int(batch)}_bg{int(include_background)}_b{b}c{c}h{h}w{w}",
                             DiceLoss, params, logits, ids, "class_ids", "DiceLoss"))

# Focal (Lin et al. 2017): softmax over class ids with class weights, and sigmoid multilabel.
for b, c, h, w in [(2, 3, 5, 7)]:
    logits = draw(g, (b, c, h, w))
    ids = class_ids(g, b, c, h, w).unsqueeze(1)
    multilabel = (torch.rand((b, c, h, w), generator=g) < 0.4).double()
    for gamma in [0.0, 2.0]:
        for weight in [None, [0.25, 1.0, 2.0]]:
            params = {"use_softmax": True, "to_onehot_y": True, "gamma": gamma, "weight": weight}
            tag = "w" if weight else "now"
            cases.append(run(f"focal_softmax_gamma{gamma:g}_{tag}_b{b}c{c}h{h}w{w}",
                             FocalLoss, params, logits, ids, "class_ids", "FocalLoss"))
        params = {"use_softmax": False, "gamma": gamma, "alpha": 0.25}
        cases.append(run(f"focal_sigmoid_gamma{gamma:g}_alpha0.25_b{b}c{c}h{h}w{w}",
                         FocalLoss, params, logits, multilabel, "multilabel", "FocalLoss"))

files = ["monai/losses/dice.py", "monai/losses/focal_loss.py", "monai/losses/utils.py", "monai/networks/utils.py"]
print(json.dumps({
    "format": "monai-parity/1",
    "set": "public",
    "source": {"repository": "Project-MONAI/MONAI", "commit": commit,
               "sha256": {f: sha256(f"{monai_root}/{f}") for f in files}},
    "torch_version_string": torch.__version__,
    "numpy_version": numpy.__version__,
    "python_version": platform.python_version(),
    "dtype": "float64",
    "seed": SEED,
    "notes": "logits are float32 draws (x2) widened to float64; label_kind class_ids: int64 [B, H, W] "
             "(MONAI got them as [B, 1, H, W] with to_onehot_y); multilabel: 0/1 float64 of the logits' shape; "
             "params are the MONAI constructor's arguments, reduction mean, other arguments at their defaults; "
             "FocalLoss values are computed in float64 by MONAI's softmax_focal_loss / sigmoid_focal_loss "
             "(FocalLoss itself casts to float32) and checked against FocalLoss to float32 accuracy",
    "cases": cases,
}, indent=None))
