"""Names shared by the data migration, services, seed and tests."""

# Another app (community) links its WorkingGroup to this auth group by name.
WORKING_GROUP = "Micro-Certification Working Group"
COORDINATORS = "Programme coordinators"
WORKFLOW = "Framework review"
WORKING_GROUP_TASK = "Working group review"
COORDINATOR_TASK = "Coordinator approval"
# Drafts are uploaded here; only the working group and coordinators may download.
DRAFTS_COLLECTION = "Framework drafts"
# Documents move here when the page that offers them is published.
PUBLIC_COLLECTION = "Framework documents"
