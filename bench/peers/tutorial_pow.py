#!/usr/bin/env python3
"""The proof of work of the Python blockchain tutorials, timed.

The tutorials mine by trying proof = 0, 1, 2, ... until
sha256(f'{last_proof}{proof}{last_hash}').hexdigest() starts with "0000", where last_hash is
sha256(json.dumps(last_block, sort_keys=True)). This script runs that loop for a few seconds (starting
a new block each time a proof is found, as the tutorial's /mine does) and prints one JSON line:
tries per second (best one-second window and overall), blocks found, and how fast blocks hash.

    python3 bench/peers/tutorial_pow.py [seconds]
"""
import hashlib
import json
import platform
import sys
import time


def valid_proof(last_proof, proof, last_hash):
    guess = f'{last_proof}{proof}{last_hash}'.encode()
    guess_hash = hashlib.sha256(guess).hexdigest()
    return guess_hash[:4] == "0000"


def hash_block(block):
    block_string = json.dumps(block, sort_keys=True).encode()
    return hashlib.sha256(block_string).hexdigest()


def new_block(index, proof, previous_hash):
    return {
        'index': index,
        'timestamp': 1782864000.0 + index,
        'transactions': [{'sender': '0', 'recipient': 'a' * 32, 'amount': 1}],
        'proof': proof,
        'previous_hash': previous_hash,
    }


def mine(seconds):
    """Runs the tutorial's proof_of_work loop for `seconds`, in windows of about one second."""
    block = new_block(1, 100, '1')
    last_hash = hash_block(block)
    proof = 0
    tries = 0
    blocks = 0
    windows = []
    start = time.perf_counter()
    window_start, window_tries = start, 0
    while True:
        for _ in range(10_000):
            if valid_proof(block['proof'], proof, last_hash):
                block = new_block(block['index'] + 1, proof, last_hash)
                last_hash = hash_block(block)
                blocks += 1
                proof = 0
            else:
                proof += 1
        tries += 10_000
        window_tries += 10_000
        now = time.perf_counter()
        if now - window_start >= 1.0:
            windows.append(window_tries / (now - window_start))
            window_start, window_tries = now, 0
        if now - start >= seconds:
            return tries, now - start, blocks, windows


def block_hash_rate(seconds):
    block = new_block(1, 100, '1')
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(1000):
            hash_block(block)
        count += 1000
    return count / (time.perf_counter() - start)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    tries, elapsed, blocks, windows = mine(seconds)
    print(json.dumps({
        'python': platform.python_version(),
        'tries': tries,
        'seconds': elapsed,
        'hashes_per_second': tries / elapsed,
        'best_window_hashes_per_second': max(windows) if windows else tries / elapsed,
        'blocks': blocks,
        'block_hashes_per_second': block_hash_rate(0.5),
    }))


if __name__ == '__main__':
    main()
