"""Runs indexing scenarios through the real langchain-core `index()`.

Reads a JSON list of scenarios on stdin and prints, for each, the counts of
every `index` run and what the vector store holds afterwards. The Rust test
`langchain_modes.rs` writes the scenarios, runs them through
`index_ops::indexing::index` too, and compares.

A scenario is {"name": str, "runs": [run, ...]}; a run is
{"docs": [{"text": str, "metadata": {str: str}}], "cleanup": null | "incremental"
| "full" | "scoped_full", "source_id_key": null | str, "force_update": bool,
"batch_size": int, "cleanup_batch_size": int}. A run LangChain refuses
reports {"error": true}.

The record manager's clock is a counter that moves on every reading, so two
runs never share a timestamp (LangChain's own tests fix the clock the same
way; with the wall clock, back-to-back runs inside one clock tick miss
their cleanup, as LangChain's guide cautions).
"""

import json
import sys

import langchain_core
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.indexing import InMemoryRecordManager, index
from langchain_core.vectorstores import InMemoryVectorStore


class LengthEmbedding(Embeddings):
    """A two-number embedding: the counts do not depend on the vectors."""

    def embed_documents(self, texts):
        return [self.embed_query(t) for t in texts]

    def embed_query(self, text):
        return [float(len(text)), 1.0]


class TickingRecordManager(InMemoryRecordManager):
    def __init__(self, namespace):
        super().__init__(namespace)
        self.tick = 0.0

    def get_time(self):
        self.tick += 1.0
        return self.tick


def run(scenario):
    records = TickingRecordManager("opsloop/test")
    store = InMemoryVectorStore(embedding=LengthEmbedding())
    results = []
    for r in scenario["runs"]:
        docs = [Document(page_content=d["text"], metadata=dict(d["metadata"])) for d in r["docs"]]
        try:
            counts = index(
                docs,
                records,
                store,
                cleanup=r["cleanup"],
                source_id_key=r["source_id_key"],
                force_update=r["force_update"],
                batch_size=r["batch_size"],
                cleanup_batch_size=r["cleanup_batch_size"],
                key_encoder="sha256",
            )
            results.append(
                [counts["num_added"], counts["num_updated"], counts["num_skipped"], counts["num_deleted"]]
            )
        except (ValueError, KeyError):
            results.append({"error": True})
    held = sorted([v["text"], sorted(v["metadata"].items())] for v in store.store.values())
    return {"name": scenario["name"], "results": results, "store": held}


def main():
    scenarios = json.load(sys.stdin)
    out = {"version": langchain_core.__version__, "scenarios": [run(s) for s in scenarios]}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
