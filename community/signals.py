def create_profile(sender, instance, created, raw=False, **kwargs):
    """Every account has a member profile from the start."""
    if created and not raw:
        from .models import Profile

        Profile.objects.get_or_create(user=instance)
