"""Sealing to the legal team's public key, with PyNaCl (libsodium) alone, so that the offline tool
can open what this module seals without Django or a database.

- A small part (answers, a file's name and hash, a reply) is a sealed box (X25519 +
  XSalsa20-Poly1305) to a public key: only the holder of the private key opens it.
- A file is encrypted with a random key, in chunks, by libsodium's secret stream
  (XChaCha20-Poly1305): memory stays bounded however large the file, a chunk dropped, reordered
  or cut off at the end is detected. The key is sealed to the public key.
- A witness's own key pair is derived from their codename (Argon2id, with a salt kept beside the
  testimony), so that what the legal team writes to them is sealed to a key the server holds only
  as a public key, and opened only by whoever types the codename.
"""

import base64
import hashlib
from collections.abc import Iterator

from nacl import bindings, pwhash
from nacl.public import PrivateKey, PublicKey, SealedBox  # noqa: F401 (PublicKey: for callers)

CHUNK = 64 * 1024
HEADER = bindings.crypto_secretstream_xchacha20poly1305_HEADERBYTES
OVERHEAD = bindings.crypto_secretstream_xchacha20poly1305_ABYTES
FINAL = bindings.crypto_secretstream_xchacha20poly1305_TAG_FINAL
MESSAGE = bindings.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE


class Broken(ValueError):
    """A sealed part or file that does not open: wrong key, or changed since it was sealed."""


# Keys are written with what they are, so that a private key given where a public one belongs is
# recognised (and refused by the site's `check`) rather than taken for one.
PUBLIC_MARK = "solidarity-testimonies-public:"
PRIVATE_MARK = "solidarity-testimonies-PRIVATE:"


def _raw_key(encoded: str, mark: str) -> bytes:
    text = encoded.strip()
    if text.startswith(mark):
        text = text[len(mark) :]
    elif text.startswith((PUBLIC_MARK, PRIVATE_MARK)):
        raise ValueError("this is not the key asked for (public and private are marked)")
    raw = base64.b64decode(text, validate=True)
    if len(raw) != 32:
        raise ValueError("an X25519 key is 32 bytes")
    return raw


def public_key(encoded: str) -> PublicKey:
    return PublicKey(_raw_key(encoded, PUBLIC_MARK))


def private_key(encoded: str) -> PrivateKey:
    return PrivateKey(_raw_key(encoded, PRIVATE_MARK))


def encode_key(key) -> str:
    return base64.b64encode(bytes(key)).decode()


def b64(data: bytes) -> str:
    return base64.b64encode(bytes(data)).decode()


def new_key_pair() -> tuple[str, str]:
    """(public, private), each marked base64: made by the offline tool, on the legal team's machine."""
    private = PrivateKey.generate()
    return PUBLIC_MARK + encode_key(private.public_key), PRIVATE_MARK + encode_key(private)


def seal(data: bytes, recipient: PublicKey) -> bytes:
    return SealedBox(recipient).encrypt(data)


def unseal(sealed: bytes, private: PrivateKey) -> bytes:
    try:
        return SealedBox(private).decrypt(bytes(sealed))
    except Exception as error:  # nacl raises CryptoError; anything else is as broken
        raise Broken("this part does not open with this key") from error


class FileSealer:
    """Seals a stream of bytes as it arrives: `header`, then `push(data)` any number of times
    (each returns the ciphertext to write), then `finish()`. Keeps the SHA-256 and size of the
    plaintext for the sealed manifest."""

    def __init__(self):
        self.key = bindings.crypto_secretstream_xchacha20poly1305_keygen()
        self._state = bindings.crypto_secretstream_xchacha20poly1305_state()
        self.header = bindings.crypto_secretstream_xchacha20poly1305_init_push(self._state, self.key)
        self._pending = bytearray()
        self.sha256 = hashlib.sha256()
        self.size = 0

    def push(self, data: bytes) -> bytes:
        self.sha256.update(data)
        self.size += len(data)
        self._pending += data
        out = bytearray()
        start = 0
        while len(self._pending) - start > CHUNK:  # the last chunk waits: it is the one tagged final
            chunk = bytes(self._pending[start : start + CHUNK])
            out += bindings.crypto_secretstream_xchacha20poly1305_push(self._state, chunk, None, MESSAGE)
            start += CHUNK
        del self._pending[:start]  # once per push, however much arrived: cost stays linear
        return bytes(out)

    def finish(self) -> bytes:
        last, self._pending = bytes(self._pending), bytearray()
        return bindings.crypto_secretstream_xchacha20poly1305_push(self._state, last, None, FINAL)


def open_file(chunks: Iterator[bytes], key: bytes) -> Iterator[bytes]:
    """The plaintext of a sealed file, read from `chunks` (any sizes), chunk by chunk."""
    buffer = bytearray()
    state = bindings.crypto_secretstream_xchacha20poly1305_state()
    started = finished = False
    for data in chunks:
        buffer += data
        if not started:
            if len(buffer) < HEADER:
                continue
            header, buffer = bytes(buffer[:HEADER]), buffer[HEADER:]
            bindings.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
            started = True
        while len(buffer) >= CHUNK + OVERHEAD:
            if finished:
                raise Broken("the sealed file goes on past its end")
            piece, buffer = bytes(buffer[: CHUNK + OVERHEAD]), buffer[CHUNK + OVERHEAD :]
            plain, tag = _pull(state, piece)
            finished = tag == FINAL
            yield plain
    if started and buffer:
        if finished:
            raise Broken("the sealed file goes on past its end")
        plain, tag = _pull(state, bytes(buffer))
        finished = tag == FINAL
        yield plain
    if not finished:
        raise Broken("the sealed file is cut short")


def _pull(state, piece: bytes) -> tuple[bytes, int]:
    try:
        return bindings.crypto_secretstream_xchacha20poly1305_pull(state, piece, None)
    except Exception as error:
        raise Broken("the sealed file was changed or does not open with this key") from error


# --- The witness's key, from their codename ----------------------------------------------------

SALT_BYTES = pwhash.argon2id.SALTBYTES


def witness_keys(words: str, salt: bytes) -> PrivateKey:
    """The witness's key pair, the same whenever the same codename is typed (`words`: the codename
    as its normal form has it). Argon2id makes guessing codenames slow."""
    seed = pwhash.argon2id.kdf(
        32,
        words.encode(),
        salt,
        opslimit=pwhash.argon2id.OPSLIMIT_MODERATE,
        memlimit=pwhash.argon2id.MEMLIMIT_INTERACTIVE,
    )
    return PrivateKey(seed)
