"""Sign-in hashing within a worker's memory budget (issue 21)."""

from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.test import override_settings

from config.settings import base

PRODUCTION_HASHERS = base.PASSWORD_HASHERS


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_new_hashes_use_19_mib_and_one_lane():
    encoded = make_password("correct horse battery staple")
    decoded = identify_hasher(encoded).decode(encoded)
    assert (decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]) == (
        19 * 1024,
        2,
        1,
    )


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_hash_made_with_djangos_defaults_still_verifies_and_is_renewed():
    old = Argon2PasswordHasher().encode("correct horse battery staple", "saltsaltsaltsalt")
    hasher = identify_hasher(old)
    assert hasher.verify("correct horse battery staple", old)
    assert hasher.must_update(old)
