using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>Errors and unknown addresses, in the viewer's language; never a stack trace.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : StaffPageModel
{
    public string Title { get; private set; } = "";

    public string Text { get; private set; } = "";

    public void OnGet(int? status) => Show(status);

    public void OnPost(int? status) => Show(status);

    private void Show(int? status)
    {
        var notFound = status == StatusCodes.Status404NotFound;
        Title = T(notFound ? "notfound.title" : "error.title");
        Text = T(notFound ? "notfound.text" : "error.text");
    }
}
