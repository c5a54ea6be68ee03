"""A worker's ID number and phone as a user may see them: the enterprise registry's rule (REGULATIONS.md §10.2,
``shouye.enterprises.masking``): in clear for those who hold ``enterprises.view_personal_data``, masked in
lists, pages, the API and the export for everyone else."""

from shouye.enterprises.masking import person_contact


def worker_contact(worker, user) -> dict:
    return person_contact(worker, user)
