"""Drives the unmodified python ServiceX client against a hepq servicex endpoint (run inside the trixie chroot).

argv[1] is a JSON object: endpoint, work (a folder for servicex.yaml and the client's cache), token (optional),
format (parquet | root-ttree), ignore_cache, samples: [{name, tree, files, steps: [[Where|Select, "lambda …"]]}].
Prints one JSON line: {"files": {sample: [downloaded paths]}} or {"error": "..."}. With argv[2] = "cli ARGS…"
it runs the client's own command line (servicex …) with the same servicex.yaml instead; with
argv[2] = "download ID…" it downloads every output of those requests as `transforms download` does and prints
{"files": {id: [downloaded paths]}}.
"""
import json
import os
import sys

args = json.loads(sys.argv[1])
work = args["work"]
os.makedirs(work, exist_ok=True)
with open(os.path.join(work, "servicex.yaml"), "w") as f:
    f.write("api_endpoints:\n")
    f.write(f"  - endpoint: {args['endpoint']}\n    name: hepq\n")
    if args.get("token"):
        f.write(f"    token: {args['token']}\n")
    f.write(f"cache_path: {work}/cache\nshortened_downloaded_filename: false\n")
os.chdir(work)

if len(sys.argv) > 2 and sys.argv[2] == "cli":
    from servicex.app.main import app

    sys.argv = ["servicex", *sys.argv[3:]]
    app()
    sys.exit(0)

if len(sys.argv) > 2 and sys.argv[2] == "download":
    # What `servicex transforms download` does, for several requests in one event loop (the client keeps
    # its S3 semaphores in module globals, bound to the first loop: one asyncio.run per process).
    import asyncio

    from servicex.minio_adapter import MinioAdapter
    from servicex.servicex_client import ServiceXClient

    async def download_all(ids):
        sx = ServiceXClient()
        got = {}
        for rid in ids:
            minio = MinioAdapter.for_transform(await sx.get_transform_status_async(rid))
            files = await minio.list_bucket()
            local = os.path.join(work, "dl", rid)
            paths = await asyncio.gather(*(minio.download_file(f.filename, local) for f in files))
            got[rid] = [p.as_posix() for p in paths]
        return got

    print(json.dumps({"files": asyncio.run(download_all(sys.argv[3:]))}))
    sys.exit(0)

from servicex import dataset, deliver  # noqa: E402
from servicex import query as q  # noqa: E402

samples = []
for s in args["samples"]:
    query = q.FuncADL_Uproot().FromTree(s["tree"])
    for op, fn in s["steps"]:
        query = getattr(query, op)(fn)
    samples.append({"Name": s["name"], "Dataset": dataset.FileList(s["files"]), "Query": query})
spec = {"General": {"OutputFormat": args.get("format", "parquet"), "Delivery": "LocalCache"}, "Sample": samples}
try:
    res = deliver(
        spec,
        servicex_name="hepq",
        config_path=os.path.join(work, "servicex.yaml"),
        ignore_local_cache=args.get("ignore_cache", False),
        progress_bar="none",
        return_exceptions=False,
    )
    print(json.dumps({"files": {k: [str(p) for p in v] for k, v in res.items()}}))
except Exception as e:  # the test shows the client's own message
    import traceback

    traceback.print_exc()
    print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
