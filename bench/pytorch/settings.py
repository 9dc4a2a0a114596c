"""What every PyTorch reference of the benchmarks reports about how it ran: the thread count, the OpenMP and
OpenBLAS variables that change its speed (bench/pytorch/reference.ts sets them for the process), the BLAS
library torch loaded, and the process's peak resident memory. Imported by the reference scripts beside it."""

import os
import resource

import torch

# Debian's torch runs its own threads through GNU OpenMP and its matmuls through OpenBLAS's: with OpenMP's
# default (spinning) wait policy the two fight over the cores and a 2-core run is 2-14x slower. The OpenBLAS
# variables, when a machine's environment sets them, pin a core type and cache size other than the CPU's.
WATCHED = ("OMP_WAIT_POLICY", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS")


def use_threads(threads):
    """Sets torch's intra-op thread count (the same as ours) and returns it as torch reports it."""
    torch.set_num_threads(threads)
    return torch.get_num_threads()


def loaded_blas():
    """The BLAS library torch's matmuls went through (Debian's torch links the libblas.so.3 alternative:
    the reference netlib BLAS unless OpenBLAS is installed, which makes a ~20x difference)."""
    torch.ones(2, 2) @ torch.ones(2, 2)
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return ", ".join(sorted(paths)) or "unknown"


def settings():
    """The settings in force, as this process sees them (None: unset)."""
    return {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "env": {name: os.environ.get(name) for name in WATCHED},
        "blas": loaded_blas(),
    }


def peak_rss_mb():
    """This process's peak resident memory since it started this program (VmHWM), MB. Not ru_maxrss: Linux
    carries that across exec, so a reference started from a big process would report its parent's size."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
