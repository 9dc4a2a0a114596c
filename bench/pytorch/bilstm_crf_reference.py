"""PyTorch reference for bench/word_crf_pytorch.ts: the bilstm-crf profile's model in plain torch, the shape of
lib/model/word_crf/ (word embedding 100 + character CNN 100 filters of width 3 over 30-dim characters +
word shape 8 -> dropout -> BiLSTM 2 x 200 -> dropout -> emissions -> linear-chain CRF with IOB2 constraints),
written as a PyTorch user writes it: nn.Embedding, nn.Conv1d, nn.LSTM over packed sequences, the CRF's
forward algorithm with autograd, batched Viterbi and batched forward-backward marginals.

The Deno side writes one JSON file: the sizes, labels and vocabularies of its own model (so that both read
words into the same ids), the sentences, and the batches it ran (tagging: the batches our scoring path made;
training: one epoch's bucketed batches). Both sides featurize words the same way (features.ts, vocab.ts):
a word's key is its lower case with digits folded to 0, its shape one of nine classes, its characters cut
to the first and last max_word_chars / 2, and the character CNN runs once per distinct spelling in a batch.
`feature_checksum` lets the Deno side check that the ids are its own.

--mode tag: words/s of each batch size, with marginals (what our scorer computes) and Viterbi only; the
fastest of --passes passes. --mode train: words/s of forward + CRF loss + backward + clipping + Adam over the
given batches after --warmup untimed steps. Prints one JSON line on stdout.

Run with Debian's torch, as bench/pytorch/reference.ts runs it:
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 \
  bench/pytorch/bilstm_crf_reference.py --data FILE --mode tag --threads 2
"""

import argparse
import json
import time
import unicodedata

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from settings import peak_rss_mb, settings, use_threads

PAD_ID, UNK_ID = 0, 1
# lib/model/word_crf/features.ts WORD_SHAPES, in order.
SHAPES = ["pad", "lower", "upper", "title", "mixed", "numeric", "alnum-digit", "punct", "other"]
# lib/model/word_crf/crf.ts FORBIDDEN: a forbidden transition's score in the training loss.
FORBIDDEN = -10000.0


def word_key(word):
    """features.ts wordKey: lower case, every decimal digit replaced by 0."""
    return "".join("0" if unicodedata.category(c) == "Nd" else c for c in word.lower())


def word_shape(word):
    """features.ts wordShape (Unicode categories as its \\p{L}, \\p{Lu}, \\p{Ll}, \\p{N})."""
    if not word:
        return "other"
    letters = upper = lower = digits = 0
    for c in word:
        category = unicodedata.category(c)
        if category[0] == "L":
            letters += 1
            if category == "Lu":
                upper += 1
            elif category == "Ll":
                lower += 1
        elif category[0] == "N":
            digits += 1
    if digits == len(word):
        return "numeric"
    if letters + digits < len(word):
        return "punct" if letters + digits == 0 else "other"
    if digits > 0:
        return "alnum-digit"
    if upper == 0:
        return "lower"
    if lower == 0:
        return "upper"
    return "title" if unicodedata.category(word[0]) == "Lu" and upper == 1 else "mixed"


class Featurizer:
    """vocab.ts WordVocab.encode and batch.ts makeWordBatch: ids of words, shapes and distinct spellings."""

    def __init__(self, vocab, max_word_chars):
        self.word_ids = {word: i for i, word in enumerate(vocab["words"])}
        self.char_ids = {char: i for i, char in enumerate(vocab["chars"])}
        self.counts = vocab["wordCounts"]
        self.max_chars = max_word_chars
        self.shape_ids = {shape: i for i, shape in enumerate(SHAPES)}

    def encode(self, words):
        half = self.max_chars >> 1
        chars = []
        for word in words:
            if not word:
                chars.append((UNK_ID,))
                continue
            if len(word) > self.max_chars:
                word = word[: self.max_chars - half] + word[len(word) - half:]
            chars.append(tuple(self.char_ids.get(c, UNK_ID) for c in word))
        return ([self.word_ids.get(word_key(w), UNK_ID) for w in words],
                [self.shape_ids[word_shape(w)] for w in words], chars)

    def batch(self, encoded, tags=None, unk_rate=0.0, generator=None):
        """Padded tensors of encoded sentences: words, shapes, spelling rows, the spellings' characters."""
        size, time_ = len(encoded), max(len(e[0]) for e in encoded)
        words = torch.zeros(size, time_, dtype=torch.long)
        shapes = torch.zeros(size, time_, dtype=torch.long)
        rows = torch.zeros(size, time_, dtype=torch.long)
        spellings = {(): 0}
        for b, (word_ids, shape_ids, chars) in enumerate(encoded):
            ids = torch.tensor(word_ids)
            if unk_rate > 0:
                singletons = torch.tensor([self.counts[i] == 1 for i in word_ids])
                dropped = singletons & (torch.rand(len(word_ids), generator=generator) < unk_rate)
                ids = torch.where(dropped, torch.full_like(ids, UNK_ID), ids)
            words[b, : len(word_ids)] = ids
            shapes[b, : len(word_ids)] = torch.tensor(shape_ids)
            rows[b, : len(word_ids)] = torch.tensor([spellings.setdefault(c, len(spellings)) for c in chars])
        longest = max(len(c) for c in spellings)
        char_ids = torch.zeros(len(spellings), longest, dtype=torch.long)
        for spelling, row in spellings.items():
            char_ids[row, : len(spelling)] = torch.tensor(spelling, dtype=torch.long)
        lengths = torch.tensor([len(e[0]) for e in encoded])
        gold = None
        if tags is not None:
            gold = torch.zeros(size, time_, dtype=torch.long)
            for b, sentence_tags in enumerate(tags):
                gold[b, : len(sentence_tags)] = torch.tensor(sentence_tags)
        return {"words": words, "shapes": shapes, "rows": rows, "chars": char_ids, "lengths": lengths,
                "tags": gold}


def iob2_rules(labels):
    """crf.ts iob2TransitionRules: I-X only after B-X or I-X, never first. (allowed [K, K], allowed_start [K])."""
    inside = [label[2:] if label.startswith("I-") else None for label in labels]
    kind = [None if label == "O" else label[2:] for label in labels]
    allowed = torch.tensor([[inside[j] is None or kind[i] == inside[j] for j in range(len(labels))]
                            for i in range(len(labels))])
    return allowed, torch.tensor([t is None for t in inside])


class BiLstmCrf(nn.Module):
    def __init__(self, sizes, vocab_sizes, labels):
        super().__init__()
        self.word = nn.Embedding(vocab_sizes["words"], sizes["word_dim"])
        self.char = nn.Embedding(vocab_sizes["chars"], sizes["char_dim"])
        width = sizes["char_kernel"]
        self.char_cnn = nn.Conv1d(sizes["char_dim"], sizes["char_filters"], width, padding=width // 2)
        self.shape = nn.Embedding(len(SHAPES), sizes["shape_dim"])
        features = sizes["word_dim"] + sizes["char_filters"] + sizes["shape_dim"]
        self.lstm = nn.LSTM(features, sizes["hidden_size"], batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(sizes["dropout"])
        self.emissions = nn.Linear(2 * sizes["hidden_size"], len(labels))
        k = len(labels)
        self.transitions = nn.Parameter(torch.zeros(k, k))
        self.start = nn.Parameter(torch.zeros(k))
        self.end = nn.Parameter(torch.zeros(k))
        allowed, allowed_start = iob2_rules(labels)
        self.register_buffer("penalty", torch.where(allowed, 0.0, FORBIDDEN))
        self.register_buffer("start_penalty", torch.where(allowed_start, 0.0, FORBIDDEN))
        self.register_buffer("decode_transitions_mask", torch.where(allowed, 0.0, float("-inf")))
        self.register_buffer("decode_start_mask", torch.where(allowed_start, 0.0, float("-inf")))

    def forward(self, batch):
        """Emission scores [batch, time, K]."""
        spellings = self.char_cnn(self.char(batch["chars"]).transpose(1, 2)).relu().amax(2)
        features = torch.cat([self.word(batch["words"]), spellings[batch["rows"]], self.shape(batch["shapes"])], 2)
        packed = pack_padded_sequence(self.dropout(features), batch["lengths"], batch_first=True,
                                      enforce_sorted=False)
        states, _ = pad_packed_sequence(self.lstm(packed)[0], batch_first=True,
                                        total_length=features.shape[1])
        return self.emissions(self.dropout(states))

    def nll(self, batch):
        """The CRF's summed negative log-likelihood of the gold tags, divided by the batch size."""
        emissions, tags, lengths = self.forward(batch), batch["tags"], batch["lengths"]
        mask = torch.arange(emissions.shape[1])[None, :] < lengths[:, None]
        transitions, start = self.transitions + self.penalty, self.start + self.start_penalty
        alpha = start + emissions[:, 0]
        for t in range(1, emissions.shape[1]):
            step = torch.logsumexp(alpha[:, :, None] + transitions, 1) + emissions[:, t]
            alpha = torch.where(mask[:, t, None], step, alpha)
        log_z = torch.logsumexp(alpha + self.end, 1)
        picked = emissions.gather(2, tags[:, :, None]).squeeze(2)
        gold = (picked * mask).sum(1) + start[tags[:, 0]]
        gold = gold + (transitions[tags[:, :-1], tags[:, 1:]] * mask[:, 1:]).sum(1)
        gold = gold + self.end[tags.gather(1, (lengths - 1)[:, None]).squeeze(1)]
        return (log_z - gold).sum() / emissions.shape[0]

    def decoding_scores(self):
        return (self.transitions + self.decode_transitions_mask, self.start + self.decode_start_mask, self.end)

    def viterbi(self, emissions, lengths):
        """The best allowed tag sequence of each sentence (lists of tag ids)."""
        transitions, start, end = self.decoding_scores()
        size, time_, _ = emissions.shape
        mask = torch.arange(time_)[None, :] < lengths[:, None]
        score, history = start + emissions[:, 0], []
        for t in range(1, time_):
            best, arg = (score[:, :, None] + transitions).max(1)
            score = torch.where(mask[:, t, None], best + emissions[:, t], score)
            history.append(arg)
        tag = (score + end).argmax(1)
        path = [tag]
        for t in range(time_ - 1, 0, -1):
            previous = history[t - 1].gather(1, tag[:, None]).squeeze(1)
            tag = torch.where(t < lengths, previous, tag)
            path.append(tag)
        tags = torch.stack(path[::-1], 1)
        # path[::-1][t] is the tag at t for t < length: positions past a sentence's end repeat its last tag.
        return [row[:n] for row, n in zip(tags.tolist(), lengths.tolist())]

    def marginals(self, emissions, lengths):
        """Per word, each tag's probability under the CRF (forward-backward over allowed sequences)."""
        transitions, start, end = self.decoding_scores()
        time_ = emissions.shape[1]
        mask = torch.arange(time_)[None, :] < lengths[:, None]
        alphas = [start + emissions[:, 0]]
        for t in range(1, time_):
            step = torch.logsumexp(alphas[-1][:, :, None] + transitions, 1) + emissions[:, t]
            alphas.append(torch.where(mask[:, t, None], step, alphas[-1]))
        betas = [end.expand_as(alphas[0])]
        for t in range(time_ - 2, -1, -1):
            step = torch.logsumexp(transitions + (emissions[:, t + 1] + betas[-1])[:, None, :], 2)
            betas.append(torch.where(mask[:, t + 1, None], step, end.expand_as(step)))
        alpha, beta = torch.stack(alphas, 1), torch.stack(betas[::-1], 1)
        log_z = torch.logsumexp(alphas[-1] + end, 1)
        probabilities = (alpha + beta - log_z[:, None, None]).exp().numpy()
        return [probabilities[b, :n] for b, n in enumerate(lengths.tolist())]


def tag_pass(model, featurizer, batches, with_marginals):
    """Seconds to tag every batch: featurize, emissions, Viterbi (and marginals)."""
    started = time.perf_counter()
    with torch.inference_mode():
        for sentences in batches:
            batch = featurizer.batch([featurizer.encode(words) for words in sentences])
            emissions = model(batch)
            model.viterbi(emissions, batch["lengths"])
            if with_marginals:
                model.marginals(emissions, batch["lengths"])
    return time.perf_counter() - started


def tag(model, featurizer, data, passes):
    model.eval()
    figures = {}
    for size, batches in data["tag"]["batches"].items():
        words = sum(len(s) for batch in batches for s in batch)
        # A whole untimed pass first, as ours has: the first time a batch shape is seen costs extra (oneDNN
        # primitives, allocator growth), and batch shapes vary with sentence lengths.
        tag_pass(model, featurizer, batches, True)
        best = {True: float("inf"), False: float("inf")}
        for _ in range(passes):
            for with_marginals in (True, False):
                best[with_marginals] = min(best[with_marginals],
                                           tag_pass(model, featurizer, batches, with_marginals))
        figures[size] = {"words": words, "words_per_second": words / best[True],
                         "viterbi_only_words_per_second": words / best[False]}
    return {"tagging": figures}


def train(model, featurizer, data, warmup):
    section = data["train"]
    encoded = [featurizer.encode(words) for words in section["sentences"]]
    generator = torch.Generator().manual_seed(1)
    batches = [featurizer.batch([encoded[i] for i in rows], [section["tags"][i] for i in rows],
                                data["singleton_unk_rate"], generator) for rows in section["batches"]]
    optimizer = torch.optim.Adam(model.parameters(), lr=data["learning_rate"])
    model.train()

    def step(batch):
        optimizer.zero_grad(set_to_none=True)
        loss = model.nll(batch)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), data["max_grad_norm"])
        optimizer.step()
        return loss.item()

    for batch in batches[:warmup]:
        step(batch)
    timed = batches[warmup:]
    started = time.perf_counter()
    losses = [step(batch) for batch in timed]
    seconds = time.perf_counter() - started
    words = sum(int(batch["lengths"].sum()) for batch in timed)
    return {"training": {"steps": len(timed), "words": words, "seconds": seconds, "words_per_second": words / seconds,
                         "first_loss": losses[0], "last_loss": losses[-1]}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="the JSON file bench/word_crf_pytorch.ts writes")
    parser.add_argument("--mode", choices=["tag", "train"], required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--passes", type=int, default=2, help="tagging passes per batch size (the fastest counts)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed training steps first")
    args = parser.parse_args()
    use_threads(args.threads)
    torch.manual_seed(1)
    with open(args.data, encoding="utf-8") as file:
        data = json.load(file)
    featurizer = Featurizer(data["vocab"], data["sizes"]["max_word_chars"])
    checksum = sum(sum(w) + sum(s) + sum(map(sum, c))
                   for w, s, c in map(featurizer.encode, data["checksum_sentences"]))
    vocab_sizes = {"words": len(data["vocab"]["words"]), "chars": len(data["vocab"]["chars"])}
    model = BiLstmCrf(data["sizes"], vocab_sizes, data["labels"])
    measured = tag(model, featurizer, data, args.passes) if args.mode == "tag" else train(model, featurizer, data,
                                                                                             args.warmup)
    print(json.dumps({"settings": settings(), "parameters": sum(p.numel() for p in model.parameters()),
                      "feature_checksum": checksum, **measured, "peak_rss_mb": peak_rss_mb()}))


if __name__ == "__main__":
    main()
