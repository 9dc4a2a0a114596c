"""PyTorch reference for bench/backend.ts: a BERT token classifier in plain torch (no transformers),
timed the same way as the tfjs one on the same machine.

Training step = forward with dropout -> token cross-entropy -> backward -> clip grad norm 1.0 -> AdamW.
Inference = forward in eval mode without gradients. Prints one JSON line on stdout.

Run with Debian's torch, as bench/pytorch/reference.ts runs it:
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch/bert_reference.py --steps 3
"""

import argparse
import json
import time

import torch
from torch import nn
import torch.nn.functional as F

from settings import peak_rss_mb, settings, use_threads


class Layer(nn.Module):
    """One post-LayerNorm encoder layer: self-attention + FFN with exact (erf) GELU."""

    def __init__(self, hidden, heads, ffn, dropout):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden, eps=1e-12)
        self.ffn_in = nn.Linear(hidden, ffn)
        self.ffn_out = nn.Linear(ffn, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask_bias):
        b, s, h = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, h // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / (h // self.heads) ** 0.5 + mask_bias
        context = (self.dropout(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, s, h)
        x = self.ln1(x + self.dropout(self.out(context)))
        return self.ln2(x + self.dropout(self.ffn_out(F.gelu(self.ffn_in(x)))))


class BertTokenClassifier(nn.Module):
    def __init__(self, vocab, hidden, layers, heads, ffn, labels, max_positions=512, dropout=0.1):
        super().__init__()
        self.word = nn.Embedding(vocab, hidden)
        self.position = nn.Embedding(max_positions, hidden)
        self.token_type = nn.Embedding(2, hidden)
        self.ln = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.ModuleList(Layer(hidden, heads, ffn, dropout) for _ in range(layers))
        self.classifier = nn.Linear(hidden, labels)
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids, mask):
        positions = torch.arange(ids.shape[1])
        x = self.dropout(self.ln(self.word(ids) + self.position(positions) + self.token_type(torch.zeros_like(ids))))
        mask_bias = (1.0 - mask[:, None, None, :].float()) * -10000.0
        for layer in self.layers:
            x = layer(x, mask_bias)
        return self.classifier(self.dropout(x))



def matmul_gflops(m, k, n, steps):
    """GFLOP/s of the three matmul layouts of a dense layer (forward, input gradient, weight gradient)."""
    figures = {}
    for label, a, b in (("x·W", torch.randn(m, k), torch.randn(k, n)),
                        ("dy·Wᵀ", torch.randn(m, n), torch.randn(k, n).t()),
                        ("xᵀ·dy", torch.randn(m, k).t(), torch.randn(m, n))):
        a @ b
        start = time.perf_counter()
        for _ in range(steps):
            a @ b
        figures[label] = 2 * m * k * n / ((time.perf_counter() - start) / steps) / 1e9
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--vocab", type=int, default=28996)
    parser.add_argument("--hidden", type=int, default=768)
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--heads", type=int, default=12)
    parser.add_argument("--ffn", type=int, default=3072)
    parser.add_argument("--labels", type=int, default=5)
    parser.add_argument("--inference-only", action="store_true", help="skip the training step (step_seconds null)")
    parser.add_argument("--train-only", action="store_true", help="skip inference (its figures null)")
    parser.add_argument("--matmul", metavar="M,K,N", help="only time x@W, dy@W^T, x^T@dy of these sizes (GFLOP/s)")
    args = parser.parse_args()
    use_threads(args.threads)
    torch.manual_seed(0)
    if args.matmul:
        print(json.dumps({"settings": settings(),
                          "matmul": matmul_gflops(*map(int, args.matmul.split(",")), args.steps)}))
        return
    model = BertTokenClassifier(args.vocab, args.hidden, args.layers, args.heads, args.ffn, args.labels)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=0.01)
    ids = torch.randint(5, args.vocab, (args.batch, args.seq))
    mask = torch.ones_like(ids)
    labels = torch.randint(0, args.labels, (args.batch, args.seq))

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(ids, mask).view(-1, args.labels), labels.view(-1), ignore_index=-100)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    def timed(fn, steps, warmup):
        for _ in range(warmup):
            fn()
        start = time.perf_counter()
        for _ in range(steps):
            fn()
        return (time.perf_counter() - start) / steps

    model.train()
    step_seconds = None if args.inference_only else timed(train_step, args.steps, args.warmup)
    model.eval()
    infer_seconds = best_infer_seconds = None
    if not args.train_only:
        with torch.no_grad():
            infer_seconds = timed(lambda: model(ids, mask), args.steps, args.warmup)
            # The fastest single pass: on a busy machine, the least disturbed figure.
            best_infer_seconds = min(timed(lambda: model(ids, mask), 1, 0) for _ in range(args.steps))
    per_second = lambda seconds: None if seconds is None else args.batch * args.seq / seconds
    print(json.dumps({
        "settings": settings(),
        "parameters": sum(p.numel() for p in model.parameters()),
        "step_seconds": step_seconds,
        "infer_tokens_per_second": per_second(infer_seconds),
        "infer_best_tokens_per_second": per_second(best_infer_seconds),
        "peak_rss_mb": peak_rss_mb(),
    }))


if __name__ == "__main__":
    main()
