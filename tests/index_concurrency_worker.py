"""One of several processes that tests/test_indexing_concurrency.py runs at once against one database and index.

    python tests/index_concurrency_worker.py WORKER ROUNDS

With ARCHIVE_DATA_DIR and DJANGO_SETTINGS_MODULE=archive.settings (production settings) in the environment.
Each round adds an article with a quotation (published or draft, sometimes citing the Shanghai Convention), and at
random deletes an article, toggles one's status, deletes quotations, renames this worker's speaker, or touches the
shared seed speaker (which re-indexes every quotation of his, so the workers' writes overlap).
"""

import os
import random
import sys

import django


def main(worker: int, rounds: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    django.setup()
    from django.db import transaction

    from archive.models import Article, Document, Person, Quotation

    rng = random.Random(worker)
    published, draft = Article.Status.PUBLISHED, Article.Status.DRAFT
    speaker = Person.objects.create(name=f"Concurrent speaker {worker}")
    alimov = Person.objects.get(slug="rashid-alimov")
    shanghai = Document.objects.get(slug="shanghai-convention")
    mine = []
    for n in range(rounds):
        text = f"Worker {worker} round {n} statement on cooperation"
        with transaction.atomic():
            article = Article.objects.create(
                title=f"Worker {worker} article {n}",
                body_html=f"<p>“{text},” the speaker said.</p>",
                status=rng.choice([published, published, draft]),
            )
            quotation = Quotation.objects.create(
                article=article, speaker=rng.choice([speaker, alimov]), text=f"{text},"
            )
            if rng.random() < 0.5:
                quotation.documents.add(shanghai)
        mine.append(article)
        if len(mine) > 1 and rng.random() < 0.4:
            mine.pop(rng.randrange(len(mine))).delete()
        if mine and rng.random() < 0.4:
            with transaction.atomic():
                article = rng.choice(mine)
                article.status = draft if article.status == published else published
                article.save()
        if mine and rng.random() < 0.2:
            with transaction.atomic():
                rng.choice(mine).quotations.all().delete()
        if rng.random() < 0.2:
            with transaction.atomic():
                speaker.name = f"Concurrent speaker {worker} version {n}"
                speaker.save()
        if rng.random() < 0.15:
            with transaction.atomic():
                alimov.refresh_from_db()
                alimov.description = f"Touched by worker {worker} in round {n}."
                alimov.save()
    print(f"worker {worker} done", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
