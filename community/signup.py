"""Sign-up that costs the same whether or not the address has an account.

With ACCOUNT_PREVENT_ENUMERATION, allauth answers a sign-up with a taken
address as it answers a new one ("check your email") and emails the owner
instead. But only a new account's password was hashed, and the two emails
were sent in the request, so the response time still told which addresses
have accounts. Here both paths hash the password once, and the account
adapter (community.adapters) sends every account email from the task queue.
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # The new-account path hashes the password when it saves the user;
            # do the same work here, and throw the hash away.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
