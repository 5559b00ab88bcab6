#!/usr/bin/env python3
# [drsim copy] Copied unchanged (apart from these [drsim copy] lines) from the project's shared
# [drsim copy] peer implementations, shared/peers/thermal_day.py, which sits beside the repository
# [drsim copy] (../shared from the repo root) on the team's machines but not in users' clones.
# [drsim copy] benches/peer_ratio.sh runs this copy and warns when ../shared has a different one.
"""Peer benchmark "thermal-day": N houses, one summer day at 5-minute steps (288 steps).

Deterministic (no random numbers), so any implementation of the model below must reproduce the
total load per step (to floating-point summation order; see "Exactness" below).

House i = 0..N-1, step t = 0..287, h = t*5/60 (hour of day at the step start, computed as the
integer t*5 divided by 60, i.e. the correctly rounded quotient):
  g(i,k)   = frac((i+1) * PHI[k]),  PHI = 0.6180339887498949, 0.7548776662466927,
             0.5698402909980532, 0.4142135623730951, 0.3247179572447460
  R   = 1.5 + 1.5 g(i,0)  degC/kW      C   = 2.0 + 2.0 g(i,1)  kWh/degC
  Pth = 6.0 + 6.0 g(i,2)  kW thermal   COP = 3.0 + 1.0 g(i,3)
  sp  = 23.0 + 3.0 g(i,4) degC         DB = 1.0 degC, Q_INT = 0.5 kW, dt = 5/60 h
  Tout(t) = 30 + 8 sin(2 pi (h - 10) / 24)
  initial: T = sp + DB (g(i,0) - 0.5);  on = g(i,1) < 0.5
  each step:
    (a) on = True if T > sp + DB/2; False if T < sp - DB/2; otherwise unchanged
    (b) blocked = 16 <= h < 21 (steps 192..251) and (t // 3) % 2 == i % 2
        eff = on and not blocked          (blocking does not change the thermostat state)
    (c) total_kw[t] += eff * Pth / COP
    (d) Teq = Tout + R (Q_INT - eff Pth);  T = Teq + (T - Teq) exp(-dt / (R C))
Output CSV: step,hour,total_kw (288 rows); total kWh = sum(total_kw) * dt.

Exactness: every implementation here evaluates each house's arithmetic in the same order and in
float64, so the per-house trajectories are bit-identical; exp(-dt/(R C)) is evaluated once per
house with math.exp (libm) in every implementation so that a 1-ulp difference between numpy's
SIMD exp and libm cannot flip a thermostat. Only the order of the sum over houses differs
(python/mesa: house order; numpy: BLAS dot; numba: per-thread/per-chunk partial sums).

Implementations (--impl):
  numpy        vectorised over houses, in-place buffers, one numpy pass per step
  python       plain Python loop over houses inside the loop over steps
  mesa         one Mesa 3 Agent per house, model.agents.do("step") (insertion order)
  numba        @njit(parallel=True), prange over houses inside the loop over steps
  numba-fused  @njit(parallel=True), loop interchange: each house runs all 288 steps in
               registers (house-outer, step-inner), per-chunk step totals summed in fixed order

CLI: thermal_day.py --houses N --impl IMPL [--out FILE.csv]
Prints one JSON line: impl, houses, steps, seconds (simulation loop only: excludes parameter set-up
and numba compilation), house_steps_per_s, total_kwh.
"""
import argparse
import json
import math
import sys
import time

PHI = (0.6180339887498949, 0.7548776662466927, 0.5698402909980532,
       0.4142135623730951, 0.3247179572447460)
STEPS = 288
DT = 5 / 60            # hours
DB = 1.0               # degC
Q_INT = 0.5            # kW
EVENT_FIRST, EVENT_END = 192, 252   # steps with 16 <= t*5/60 < 21


def hour_of(t):
    return t * 5 / 60


def tout_of(t):
    h = hour_of(t)
    return 30 + 8 * math.sin(2 * math.pi * (h - 10) / 24)


def in_event(t):
    h = hour_of(t)
    return 16 <= h < 21


def house_params(i):
    """Per-house parameters in plain Python floats: R, C, Pth, COP, sp, T0, on0, decay, elec."""
    g = []
    for p in PHI:
        x = (i + 1) * p
        g.append(x - math.floor(x))
    R = 1.5 + 1.5 * g[0]
    C = 2.0 + 2.0 * g[1]
    Pth = 6.0 + 6.0 * g[2]
    COP = 3.0 + 1.0 * g[3]
    sp = 23.0 + 3.0 * g[4]
    T0 = sp + DB * (g[0] - 0.5)
    on0 = g[1] < 0.5
    decay = math.exp(-DT / (R * C))
    return R, C, Pth, COP, sp, T0, on0, decay, Pth / COP


def numpy_params(n):
    """The same parameters as float64 arrays (bit-identical to house_params)."""
    import numpy as np
    x1 = np.arange(1, n + 1, dtype=np.float64)           # i + 1, exact below 2**53
    g = []
    for p in PHI:
        x = x1 * p
        g.append(x - np.floor(x))
    R = 1.5 + 1.5 * g[0]
    C = 2.0 + 2.0 * g[1]
    Pth = 6.0 + 6.0 * g[2]
    COP = 3.0 + 1.0 * g[3]
    sp = 23.0 + 3.0 * g[4]
    T0 = sp + DB * (g[0] - 0.5)
    on0 = g[1] < 0.5
    arg = -DT / (R * C)
    # libm exp, not numpy's SIMD exp: keeps every implementation bit-identical per house.
    decay = np.fromiter(map(math.exp, arg.tolist()), dtype=np.float64, count=n)
    return R, C, Pth, COP, sp, T0, on0, decay, Pth / COP


# ---------------------------------------------------------------- python (naive peer)
def run_python(n):
    R, Pth, hi, lo, T, on, decay, elec = [], [], [], [], [], [], [], []
    for i in range(n):
        r, _c, pth, _cop, sp, t0, on0, d, e = house_params(i)
        R.append(r); Pth.append(pth); hi.append(sp + DB / 2); lo.append(sp - DB / 2)
        T.append(t0); on.append(on0); decay.append(d); elec.append(e)
    totals = []
    start = time.perf_counter()
    for t in range(STEPS):
        tout = tout_of(t)
        ev = in_event(t)
        blocked_parity = (t // 3) % 2
        total = 0.0
        for i in range(n):
            Ti = T[i]
            if Ti > hi[i]:
                on[i] = True
            elif Ti < lo[i]:
                on[i] = False
            eff = on[i] and not (ev and i % 2 == blocked_parity)
            if eff:
                total += elec[i]
                teq = tout + R[i] * (Q_INT - Pth[i])
            else:
                teq = tout + R[i] * Q_INT
            T[i] = teq + (Ti - teq) * decay[i]
        totals.append(total)
    return totals, time.perf_counter() - start


# ---------------------------------------------------------------- numpy (strong peer)
def run_numpy(n):
    import numpy as np
    R, _C, Pth, _COP, sp, T, on, decay, elec = numpy_params(n)
    T = T.copy()
    on = on.copy()
    hi = sp + DB / 2
    lo = sp - DB / 2
    a_off = R * Q_INT                 # R * (Q_INT - 0*Pth)
    a_on = R * (Q_INT - Pth)          # R * (Q_INT - 1*Pth)
    parity = np.arange(n) % 2
    allowed = [parity != 0, parity != 1]  # allowed[p]: not blocked when the blocked parity is p
    eff = np.empty(n, dtype=bool)
    flag = np.empty(n, dtype=bool)
    effd = np.empty(n, dtype=np.float64)
    teq = np.empty(n, dtype=np.float64)
    totals = []
    start = time.perf_counter()
    for t in range(STEPS):
        tout = tout_of(t)
        np.greater(T, hi, out=flag)
        np.logical_or(on, flag, out=on)
        np.greater_equal(T, lo, out=flag)          # not (T < lo); T is never NaN
        np.logical_and(on, flag, out=on)
        if in_event(t):
            np.logical_and(on, allowed[(t // 3) % 2], out=eff)
        else:
            np.copyto(eff, on)
        np.copyto(effd, eff)
        totals.append(float(np.dot(effd, elec)))
        np.copyto(teq, a_off)
        np.copyto(teq, a_on, where=eff)
        np.add(teq, tout, out=teq)                 # Tout + R (Q_INT - eff Pth)
        np.subtract(T, teq, out=T)
        np.multiply(T, decay, out=T)
        np.add(T, teq, out=T)                      # Teq + (T - Teq) decay
    return totals, time.perf_counter() - start


# ---------------------------------------------------------------- numba (strongest CPU peers)
def _numba_kernels():
    import numba
    import numpy as np

    @numba.njit(parallel=True, fastmath=False)
    def step(T, on, hi, lo, a_on, a_off, decay, elec, tout, ev, bpar):
        total = 0.0
        for i in numba.prange(T.shape[0]):
            Ti = T[i]
            o = on[i]
            if Ti > hi[i]:
                o = True
            elif Ti < lo[i]:
                o = False
            on[i] = o
            eff = o and not (ev and (i % 2) == bpar)
            if eff:
                total += elec[i]
                teq = tout + a_on[i]
            else:
                teq = tout + a_off[i]
            T[i] = teq + (Ti - teq) * decay[i]
        return total

    @numba.njit(parallel=True, fastmath=False)
    def fused(T, on, hi, lo, a_on, a_off, decay, elec, touts, nchunks):
        n = T.shape[0]
        steps = touts.shape[0]
        part = np.zeros((nchunks, steps))
        for c in numba.prange(nchunks):
            i0 = c * n // nchunks
            i1 = (c + 1) * n // nchunks
            acc = part[c]
            for i in range(i0, i1):
                Ti = T[i]
                o = on[i]
                h_, l_, aon, aoff, d, e = hi[i], lo[i], a_on[i], a_off[i], decay[i], elec[i]
                par = i % 2
                for t in range(steps):
                    if Ti > h_:
                        o = True
                    elif Ti < l_:
                        o = False
                    eff = o and not (t >= 192 and t < 252 and (t // 3) % 2 == par)
                    if eff:
                        acc[t] += e
                        teq = touts[t] + aon
                    else:
                        teq = touts[t] + aoff
                    Ti = teq + (Ti - teq) * d
                T[i] = Ti
                on[i] = o
        out = np.zeros(steps)
        for c in range(nchunks):          # fixed order: result independent of thread count
            for t in range(steps):
                out[t] += part[c, t]
        return out

    return step, fused


def _numba_setup(n):
    R, _C, Pth, _COP, sp, T, on, decay, elec = numpy_params(n)
    return (T.copy(), on.copy(), sp + DB / 2, sp - DB / 2, R * (Q_INT - Pth), R * Q_INT, decay, elec)


def run_numba(n):
    step, _ = _numba_kernels()
    warm = _numba_setup(16)
    step(*warm, 30.0, True, 1)                     # compile outside the timed loop
    args = _numba_setup(n)
    totals = []
    start = time.perf_counter()
    for t in range(STEPS):
        totals.append(step(*args, tout_of(t), in_event(t), (t // 3) % 2))
    return totals, time.perf_counter() - start


def run_numba_fused(n):
    import numpy as np
    _, fused = _numba_kernels()
    touts = np.array([tout_of(t) for t in range(STEPS)])
    fused(*_numba_setup(16), touts, 4)             # compile outside the timed loop
    args = _numba_setup(n)
    nchunks = max(1, min(256, n // 4096))
    start = time.perf_counter()
    out = fused(*args, touts, nchunks)
    secs = time.perf_counter() - start
    return [float(x) for x in out], secs


# ---------------------------------------------------------------- mesa (agent-based peer)
def run_mesa(n):
    import mesa

    class House(mesa.Agent):
        def __init__(self, model, i):
            super().__init__(model)
            self.i = i
            R, _C, Pth, _COP, sp, T0, on0, decay, elec = house_params(i)
            self.R, self.Pth, self.hi, self.lo = R, Pth, sp + DB / 2, sp - DB / 2
            self.T, self.on, self.decay, self.elec = T0, on0, decay, elec

        def step(self):
            m = self.model
            if self.T > self.hi:
                self.on = True
            elif self.T < self.lo:
                self.on = False
            eff = self.on and not (m.event and self.i % 2 == m.blocked_parity)
            if eff:
                m.total_kw += self.elec
                teq = m.tout + self.R * (Q_INT - self.Pth)
            else:
                teq = m.tout + self.R * Q_INT
            self.T = teq + (self.T - teq) * self.decay

    class Neighbourhood(mesa.Model):
        def __init__(self, n):
            super().__init__()
            for i in range(n):
                House(self, i)
            self.t = 0
            self.total_kw = 0.0
            self.tout = 0.0
            self.event = False
            self.blocked_parity = 0

        def step(self):
            t = self.t
            self.tout = tout_of(t)
            self.event = in_event(t)
            self.blocked_parity = (t // 3) % 2
            self.total_kw = 0.0
            self.agents.do("step")                 # insertion order = house index order
            self.t += 1

    model = Neighbourhood(n)
    totals = []
    start = time.perf_counter()
    for _ in range(STEPS):
        model.step()
        totals.append(model.total_kw)
    return totals, time.perf_counter() - start


IMPLS = {"numpy": run_numpy, "python": run_python, "mesa": run_mesa,
         "numba": run_numba, "numba-fused": run_numba_fused}


def main():
    ap = argparse.ArgumentParser(description="thermal-day peer benchmark")
    ap.add_argument("--houses", type=int, required=True)
    ap.add_argument("--impl", choices=sorted(IMPLS), default="numpy")
    ap.add_argument("--out", help="write step,hour,total_kw CSV here")
    a = ap.parse_args()
    if a.houses < 1:
        sys.exit("--houses must be >= 1")
    totals, secs = IMPLS[a.impl](a.houses)
    if a.out:
        with open(a.out, "w") as f:
            f.write("step,hour,total_kw\n")
            for t, kw in enumerate(totals):
                f.write(f"{t},{hour_of(t):.6f},{kw:.9f}\n")
    print(json.dumps({"impl": a.impl, "houses": a.houses, "steps": STEPS, "seconds": round(secs, 6),
                      "house_steps_per_s": a.houses * STEPS / secs,
                      "total_kwh": sum(totals) * DT}))


if __name__ == "__main__":
    main()
