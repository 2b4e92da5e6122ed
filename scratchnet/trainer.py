"""Training: minibatches, single-sample steps, epochs, history and the divergence guard."""

from __future__ import annotations

import math
import time

import numpy as np

from . import diagnostics, kernel, landscape, trainer_edits
from .article_layers import article_gradients, trainer_refusal
from .history import HISTORY_KEYS, History  # noqa: F401 (re-exported: trainer.History)
from .network import Network
from .settings import BACKPROPS
from .tasks import METRIC_ROWS, Task, evaluate, metric_sample
from .timeline import DEFAULT_BUDGET, Timeline, TrainerState
from .trainer_samples import SampleStep, SampleSteps  # noqa: F401 (scratchnet.SampleStep)
from .optimizers import SGD, Optimizer


def _quiet():
    return np.errstate(over="ignore", invalid="ignore", under="ignore")


# A weight this large means training has blown up even if every number is still finite:
# on ScratchNet's inputs (standardised, or generated at unit scale) a pre-activation is
# then ~1e6 times an input, so sigmoid and tanh units are saturated to machine precision
# and relu outputs swamp the rest (relu at lr 1e6 reaches 1e51 with AUC 0.5). A sound run
# gets nowhere near it: with a cross-entropy loss the weights grow like log(steps).
MAX_WEIGHT = 1e6
MAX_EPOCHS = 10**7
# the step and sample counters' cap: far beyond any run (10^7 epochs of 2M one-sample
# steps is 2^44), within int64; a session holds at most this, and training stops at it
MAX_COUNT = 2**62
TARGETS = ("train", "test")


class DivergenceError(RuntimeError):
    """A step would make a weight nan, infinite or larger than ``MAX_WEIGHT`` in size;
    the step is refused and the last good weights are kept."""


class LimitError(DivergenceError):
    """A step would take the epoch, the step count or the samples seen past the cap a
    session holds (``MAX_EPOCHS``, ``MAX_COUNT``); it is refused, nothing changes."""


def _norm(params) -> float:
    return math.sqrt(sum(float(np.vdot(p, p)) for p in params))


class DivergenceGuard:
    """Refuses a weight update that diverges, cheaply.

    ``vdot(u, u)`` (one BLAS call per array) is nan or inf exactly when an update is, or
    is so large that training has blown up. Its root also bounds how far the weights
    moved: an upper bound on the weights' 2-norm, kept up to date step by step, bounds
    every ``|w|``, and only when it passes ``MAX_WEIGHT`` are the weights looked at.
    """

    def __init__(self):
        self._norm = None   # the bound, or None: measure the weights again
        self._next = None

    def reset(self) -> None:
        """The weights changed other than by a checked update: measure them again."""
        self._norm = None

    def check(self, params, updates, refuse) -> None:
        """Call ``refuse(what)`` (which raises) if ``params + updates`` diverges."""
        step = math.sqrt(sum(float(np.vdot(u, u)) for u in updates))
        if self._norm is None:
            self._norm = _norm(params)
        bound = self._norm + step
        exact = math.isfinite(bound) and bound > MAX_WEIGHT
        if exact:
            bound = max(float(np.max(np.abs(p + u))) for p, u in zip(params, updates))
        if not math.isfinite(bound):
            refuse("the weight update became nan or infinite")
        if bound > MAX_WEIGHT:
            refuse(f"a weight would reach {bound:.3g}, past the ±{MAX_WEIGHT:g} bound")
        self._next = None if exact else self._norm + step  # after a close call, re-measure

    def applied(self) -> None:
        """The checked update was added to the weights."""
        self._norm = self._next


def _train_scores(t: "Trainer"):
    """``(scores, diagnostic columns)`` of trainer ``t`` on its train set's metric sample:
    one forward and backward pass gives both (``diagnostics.measure``)."""
    X, y = metric_sample(t.X_train, t.y_train, t.metric_rows)
    if not t.diagnostics or X is None or not len(X):
        return t.evaluate(X, y), {}
    m = diagnostics.measure(t.network, X, t.network._targets(y, len(X)), t._ratio_base)
    penalty = t.network._penalty(t.l1, t.l2)
    return evaluate(t.network, X, y, penalty, output=m.output), m.columns


def _diverged(self: "Trainer", index_hint: str, what: str):
    """Refuse a step that diverges, saying why and what to do."""
    lr = self.optimizer.lr_at(self.epoch)
    raise DivergenceError(
        f"training diverged at epoch {self.epoch + 1} ({index_hint}): {what}. The "
        f"learning rate ({lr:g}) is probably too high for this network; lower it and "
        f"train again. The last finite weights (all within ±{MAX_WEIGHT:g}) were kept."
        + landscape.edge_note(self.history, self.optimizer, lr))


def _epoch_row(t: "Trainer") -> dict:
    """The history row of ``t``'s current epoch: its counters, scores and diagnostics."""
    tr = te = diag = {}
    if t.track_metrics:
        with _quiet():
            tr, diag = _train_scores(t)
            te = t.evaluate(*metric_sample(t.X_test, t.y_test, t.metric_rows))
    row = {"epoch": t.epoch, "lr": t.optimizer.lr_at(t.epoch), "samples": t.samples_seen,
           "seconds": t.seconds, **diag}
    row.update({f"train_{k}": v for k, v in tr.items()})
    row.update({f"test_{k}": v for k, v in te.items()})
    if t.probe is not None:
        row["sharpness"] = t.probe(t)
    return row


class Trainer:
    """Trains a ``Network`` on a train set and records train and test metrics per epoch.

    Parameters
    ----------
    network : Network
    X_train, y_train : ndarray
    X_test, y_test : ndarray, optional
    optimizer : Optimizer, optional
        Plain SGD with lr 0.1 by default.
    batch_size : int
        1 (per-sample SGD) up to the whole train set.
    l1, l2 : float
        Weight penalties (biases are not penalised).
    seed : int
        Seeds the shuffling; with the network's seed it fixes training bit for bit.
    target_auc : float, optional
        Stop once the task's score (``task.metric``: AUC for classification, R² for
        regression) on the set named by ``target_on`` reaches this.
    target_on : {"train", "test"}
    track_metrics : bool
        Evaluate the task's scores on both sets after every epoch (the default; see
        ``scratchnet.history`` for the columns). Off, the history rows carry NaN
        metrics: for timing the training alone.
    metric_rows : int or None
        A set larger than this is measured each epoch on an even sample of this many
        rows (``tasks.metric_sample``: an estimate, at a fixed cost); ``None``: every row.
    backprop : {"correct", "article"}
        "article" trains with the article's loop, its two mistakes included
        (``article_layers.article_gradients``): all-sigmoid, per-sample SGD only.

    The task follows from the network's output (``task``): sigmoid, binary labels 0/1;
    softmax, class indices 0..K-1; linear, regression targets in their own units.
    """

    def __init__(self, network: Network, X_train, y_train, X_test=None, y_test=None,
                 optimizer: Optimizer | None = None, batch_size: int = 32, l1: float = 0.0,
                 l2: float = 0.0, seed: int = 0, target_auc: float | None = None,
                 target_on: str = "train", track_metrics: bool = True,
                 metric_rows: int | None = METRIC_ROWS, backprop: str = "correct"):
        self.network = network
        self.metric_rows = metric_rows
        self.X_train = np.asarray(X_train, dtype=np.float64)
        self.y_train = np.asarray(y_train, dtype=np.float64)
        self.X_test = None if X_test is None else np.asarray(X_test, dtype=np.float64)
        self.y_test = None if y_test is None else np.asarray(y_test, dtype=np.float64)
        if len(self.X_train) == 0:
            raise ValueError("the training set is empty")
        self._Y_train = network._targets(self.y_train, len(self.y_train))
        self.optimizer = optimizer or SGD(0.1)
        self.batch_size = batch_size
        self.l1, self.l2 = float(l1), float(l2)
        self.target_auc = target_auc
        if target_on not in TARGETS:
            raise ValueError(f"target_on must be one of {', '.join(TARGETS)}, not {target_on!r}")
        self.target_on = target_on
        self.guard = DivergenceGuard()
        self.samples = SampleSteps(self)  # one sample at a time: preview, then step
        self.track_metrics = track_metrics
        self.rng = np.random.default_rng(seed)
        self.epoch = 0
        self.cursor = 0
        self.rng_at_epoch = self.rng.bit_generator.state  # before the shuffle: see timeline
        self.order = self.rng.permutation(len(self.X_train))
        self.samples_seen = 0
        self.seconds = 0.0
        self.tag = None        # the owner's settings, kept with each timeline frame
        self.timeline = None   # a scratchnet.timeline.Timeline once ``keep_timeline``
        self.probe = None      # a landscape.SharpnessProbe: the history's sharpness column
        self.history = History(keys=self.task.history_keys)
        self.diagnostics = True  # measure scratchnet.diagnostics with the metrics
        self.epoch_start = None  # the weights at this epoch's start (update_ratio_k)
        self._ratio_base = None  # ... and at the start of the epoch last recorded
        self.set_backprop(backprop)
        self.record_epoch()

    # --- settings -----------------------------------------------------------------------
    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"batch size must be a whole number ≥ 1, not {value!r}")
        self._batch_size = int(value)

    def apply(self, settings, keep_state: bool = False) -> None:
        """Train with ``settings`` (validated ``TrainingSettings``) from now on: the one
        writer of the optimizer, batch size, penalties and target. ``keep_state`` keeps
        the optimizer's state and takes only the new learning rate and schedule."""
        opt = settings.make_optimizer()
        self.batch_size = settings.batch_size  # the one setting that checks itself: first
        if keep_state:
            self.optimizer.lr, self.optimizer.schedule = opt.lr, opt.schedule
        else:
            self.optimizer = opt
        self.l1, self.l2 = float(settings.l1), float(settings.l2)
        self.target_auc, self.target_on = settings.target_auc, settings.target_on
        self.set_backprop(settings.backprop)

    def set_backprop(self, backprop: str) -> None:
        """Train with the engine's backprop or the article's (``ValueError`` where the
        article's loop does not apply)."""
        if backprop not in BACKPROPS:
            raise ValueError(f"backprop must be one of {', '.join(BACKPROPS)}, not {backprop!r}")
        need = backprop == "article" and trainer_refusal(self)
        if need:
            raise ValueError(f"the article's backprop needs {need}")
        self.backprop = backprop

    @property
    def n_train(self) -> int:
        return len(self.X_train)

    @property
    def task(self) -> Task:
        """The network's task (class names "0".."K-1"; ``Dataset.task`` has the real)."""
        return Task.of_network(self.network)

    @property
    def reached_target(self) -> bool:
        if self.target_auc is None:
            return False
        score = self.history.last(f"{self.target_on}_{self.task.metric}")
        return not math.isnan(score) and score >= self.target_auc

    def stop_reason(self, max_epochs: int) -> str | None:
        """Why training should stop now: "target", "epochs" (``max_epochs`` in all) or
        ``None`` to go on. The one rule for every training loop (run, CLI, app)."""
        if self.reached_target:
            return "target"
        if self.epoch >= max_epochs:
            return "epochs"
        return None

    # --- steps --------------------------------------------------------------------------
    def _apply(self, idx, index_hint: str):
        """One optimizer step on the train rows ``idx``; ``guard`` refuses a step that
        diverges. The batch loss is not computed: a nan or inf anywhere in the forward
        or backward pass reaches the weight updates."""
        net = self.network
        X, Y = self.X_train[idx], self._Y_train[idx]
        self.check_room(1, len(X))
        with _quiet():  # numpy's overflow warnings say less than the DivergenceError below
            if self.backprop == "article":  # batch size 1: checked by set_backprop
                flat = article_gradients(net, X[0], Y[0], self.optimizer.lr_at(self.epoch))
            else:
                grads = net._backprop(X, Y, self.l1, self.l2, with_loss=False)[4]
                flat = [g for pair in grads for g in pair]
            updates, state = self.optimizer.propose(flat, self.epoch)
            params = net.parameters()
            self.guard.check(params, updates, lambda what: _diverged(self, index_hint, what))
        for p, u in zip(params, updates):
            p += u
        self.guard.applied()
        self.optimizer.commit(state)
        self.samples_seen += len(X)
        return updates

    def check_room(self, steps: int, samples: int) -> None:
        """Refuse (``LimitError``) ``steps`` optimizer steps over ``samples`` samples that
        would take a counter past what a session holds: what is trained can be saved
        and read back."""
        over = [what for what, value, cap in (
            ("epoch", self.epoch + 1, MAX_EPOCHS),
            ("optimizer's step count", self.optimizer.t + steps, MAX_COUNT),
            ("count of samples seen", self.samples_seen + samples, MAX_COUNT))
            if value > cap]
        if over:
            raise LimitError(f"training stopped at epoch {self.epoch}: the {over[0]} would "
                             f"pass {MAX_EPOCHS if over[0] == 'epoch' else MAX_COUNT:,}, the "
                             f"most a session holds")

    def train_rows(self, idx, index_hint: str, advance: bool = True) -> bool:
        """One optimizer step on train rows ``idx``, timed; with ``advance`` the cursor
        moves past them. True when that completed an epoch."""
        t0 = time.perf_counter()
        self._apply(idx, index_hint)
        self.seconds += time.perf_counter() - t0
        n = len(range(self.n_train)[idx]) if isinstance(idx, slice) else len(idx)
        return self._advance(n) if advance else False

    def _advance(self, n: int) -> bool:
        """Move the cursor ``n`` samples on; finish the epoch when it wraps."""
        self.cursor += n
        if self.cursor >= self.n_train:
            self.guard.reset()  # re-measured once an epoch: weights may be edited in between
            self.epoch += 1
            self.cursor = 0
            self.rng_at_epoch = self.rng.bit_generator.state
            self.order = self.rng.permutation(self.n_train)
            self.record_epoch()
            return True
        return False

    def step_sample(self, index: int | None = None) -> SampleStep:
        """One SGD step on one sample (``SampleSteps.step``: see there)."""
        return self.samples.step(index)

    def step_batch(self) -> bool:
        """Train on the next minibatch of the shuffled order.

        Returns ``True`` when this batch completed an epoch (its metrics are recorded).
        The last batch of an epoch may be smaller; an epoch never spills into the next.
        """
        idx = self.order[self.cursor:self.cursor + self.batch_size]
        return self.train_rows(idx, f"batch at sample {self.cursor}")

    def step_batches(self, max_batches: int | None = None,
                     deadline: float | None = None) -> bool:
        """Train minibatches until the epoch ends, ``max_batches`` or ``deadline`` (a
        ``time.perf_counter()`` time after which no batch starts); True when the last
        batch completed an epoch. At least one batch runs, through the compiled kernel
        when it is READY and the network fits (``kernel.fits``), else ``step_batch`` in a
        loop: the same samples, updates (to ~1e-12) and divergence guard either way."""
        return kernel.step_batches(self, max_batches, deadline)

    def step_epoch(self) -> None:
        """Train on the rest of the current epoch (a whole epoch from its start), through
        the compiled kernel once it is ready (see ``step_batches``)."""
        self._want_kernel()
        while not self.step_batches():
            pass

    def _want_kernel(self) -> None:
        """Start compiling the kernel (on a thread) if it would train this network: every
        front end then takes the same path, the one the app takes."""
        if kernel.status().state is kernel.KernelState.IDLE and kernel.fits(self):
            kernel.start_compiling()

    def run(self, max_epochs: int, should_stop=None) -> str:
        """Train until ``max_epochs`` epochs in all, the target AUC, or ``should_stop()``.

        ``should_stop`` is checked between batches. Returns why it stopped: "target",
        "epochs" or "stopped". Training runs through the compiled kernel once it is
        ready (compiling starts here, on a thread; numpy trains meanwhile), with or
        without ``should_stop``: the same path, so the same numbers.
        """
        self._want_kernel()
        while True:
            reason = self.stop_reason(max_epochs)
            if reason is not None:
                return reason
            if should_stop is not None and should_stop():
                return "stopped"
            # whole epochs, or one batch between looks at should_stop
            self.step_batches(max_batches=None if should_stop is None else 1)

    # --- metrics ------------------------------------------------------------------------
    def evaluate(self, X, y) -> dict:
        """The task's scores of the current network on ``(X, y)`` (``tasks.evaluate``):
        AUC, loss and accuracy, or for regression loss, MSE and R²."""
        if X is None or len(X) == 0:
            return {}
        return evaluate(self.network, X, y, self.network._penalty(self.l1, self.l2))

    def record_epoch(self, replace: bool = False) -> None:
        """Append the current metrics to the history as epoch ``self.epoch`` (a set of
        more than ``metric_rows`` measured on an even sample of them).

        ``replace`` overwrites the last row instead: the training process records row 0
        without metrics, draws its first frame, and measures once scikit-learn is loaded.
        """
        if not replace:  # a row recorded again (an edit at the epoch's start) keeps its base
            self._ratio_base = self.epoch_start
        row = _epoch_row(self)
        if replace:
            self.history.pop()
        self.history.add_keys(diagnostics.history_keys(len(self.network.layers)))
        self.history.append(**row)
        self.epoch_start = diagnostics.weights_of(self.network)
        if self.timeline is not None and self.cursor == 0:
            self.timeline.record(self)

    # --- the timeline -------------------------------------------------------------------
    def keep_timeline(self, budget: int = DEFAULT_BUDGET) -> None:
        """Keep a ``Timeline`` of this trainer's epochs from now on (from this epoch, if
        it is at an epoch's start)."""
        self.timeline = Timeline(budget)
        if self.cursor == 0:
            self.timeline.record(self)

    def branch(self, epoch: int) -> Frame:
        """Make the timeline's frame at (or nearest before) ``epoch`` the live state
        (``TrainerState.restore``: training on is bit-identical to a run stopped there),
        and pin it so thinning keeps it. Returns the frame."""
        f = None if self.timeline is None else self.timeline.at(epoch)
        if f is None:
            raise ValueError(f"epoch {epoch} is not on the timeline")
        f.restore(self)
        self.timeline.pin(f.epoch)
        return f

    # --- edits --------------------------------------------------------------------------
    def resize(self, sizes, activations=None) -> None:
        """Change the architecture (see ``Network.resize``), resizing optimizer state too.
        On ``ValueError`` nothing changes."""
        trainer_edits.resize(self, sizes, activations)

    def set_data(self, X_train, y_train, X_test=None, y_test=None) -> None:
        """Train on new data from here on: the history restarts at epoch 0 and the
        network's input layer follows the new width, keeping every other weight."""
        trainer_edits.set_data(self, X_train, y_train, X_test, y_test)
