"""What community makes findable in site search, and who may find it.

The rules are the managers' own (`community.managers`): site search asks them
at query time and re-states nothing.
"""

from search.registry import register_visibility

from .models import Membership, Post, Space, Thread, WorkingGroup

# A thread is readable when its space is: Elasticsearch keeps the space of each
# thread and filters by the spaces whose threads this user may read.
register_visibility(
    "discussions",
    lambda user: Thread.objects.visible_to(user),
    key="space_id",
    depends_on=(Space, WorkingGroup, Membership),
)
# Posts (hidden ones for moderators): for snippets and matches inside threads.
register_visibility(
    "posts",
    lambda user: Post.objects.visible_to(user),
    depends_on=(Space, WorkingGroup, Membership, Post),
)
