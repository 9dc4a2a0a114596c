"""bench/pytorch/bilstm_crf_reference.py's CRF against brute force: for random emissions and scores over the
BC5CDR labels, the batched Viterbi path is the best allowed tag sequence, the batched marginals are each tag's
probability over all allowed sequences, and the loss is log Z - score(gold), sentence lengths 4, 2 and 1 in one
batch. Run by tests/bench/pytorch_reference_test.ts; prints one line when everything holds."""

import itertools
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "pytorch"))
from bilstm_crf_reference import BiLstmCrf, iob2_rules  # noqa: E402

LABELS = ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"]
SIZES = dict(word_dim=4, char_dim=3, char_filters=4, char_kernel=3, shape_dim=2, hidden_size=3, dropout=0.5)

torch.manual_seed(0)
model = BiLstmCrf(SIZES, {"words": 10, "chars": 10}, LABELS)
with torch.no_grad():
    model.transitions.normal_()
    model.start.normal_()
    model.end.normal_()
emissions = torch.randn(3, 4, len(LABELS))
lengths = torch.tensor([4, 2, 1])
tags = torch.tensor([[1, 2, 0, 3], [0, 3, 0, 0], [1, 0, 0, 0]])
allowed, allowed_start = iob2_rules(LABELS)


def allowed_sequence(sequence):
    return bool(allowed_start[sequence[0]]) and all(bool(allowed[a, b]) for a, b in zip(sequence, sequence[1:]))


def score(rows, sequence):
    total = model.start[sequence[0]] + rows[0, sequence[0]] + model.end[sequence[-1]]
    for t in range(1, len(sequence)):
        total = total + model.transitions[sequence[t - 1], sequence[t]] + rows[t, sequence[t]]
    return total


with torch.no_grad():
    paths = model.viterbi(emissions, lengths)
    marginals = model.marginals(emissions, lengths)
    model.forward = lambda batch: emissions
    loss = model.nll({"tags": tags, "lengths": lengths})
    expected_loss = 0.0
    for b, n in enumerate(lengths.tolist()):
        sequences = [s for s in itertools.product(range(len(LABELS)), repeat=n) if allowed_sequence(s)]
        scores = torch.stack([score(emissions[b], s) for s in sequences])
        assert paths[b] == list(sequences[int(scores.argmax())]), (b, paths[b])
        probabilities = (scores - scores.logsumexp(0)).exp()
        brute = torch.zeros(n, len(LABELS))
        for sequence, p in zip(sequences, probabilities):
            for t, tag in enumerate(sequence):
                brute[t, tag] += p
        assert torch.allclose(torch.tensor(marginals[b]), brute, atol=1e-5), (b, marginals[b], brute)
        expected_loss += scores.logsumexp(0) - score(emissions[b], tags[b, :n].tolist())
    assert torch.allclose(loss, expected_loss / len(lengths), atol=1e-4), (loss, expected_loss)
print("viterbi, marginals and NLL equal brute force")
