"""Password hashing that a worker can afford on a busy day (issue 21).

Django's Argon2 defaults (100 MiB, 2 passes, 8 lanes) made every sign-in
allocate 100 MiB for about a second: one sign-in set a worker's peak memory,
and a handful at once would exceed the memory goal on their own
(bench/notes.md, "Issue 21"). These are OWASP's recommended Argon2id
parameters (19 MiB, 2 passes, 1 lane; Password Storage Cheat Sheet), which
RFC 9106 counts as the memory-constrained choice. The hash string records its
own parameters, so hashes made with the old ones still verify, and Django
re-hashes them with these at the next successful sign-in (`must_update`)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class LeanArgon2PasswordHasher(Argon2PasswordHasher):
    # Same algorithm name: existing "argon2$..." hashes are this hasher's own.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
