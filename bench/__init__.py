"""Benchmarks (issue 7): the four workloads through the real ASGI server, each
figure beside a reference measured in the same run. Run `python -m bench`."""
