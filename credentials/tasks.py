"""Background work of the catalogue: imports of large files uploaded in the admin."""

from django_tasks import task


@task()
def run_import_job(job_id):
    """Import the file of this `ImportJob` (see services.run_import_job)."""
    from .services import run_import_job as run

    run(job_id=job_id)
