using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Reminders;
using MimeKit;
using NodaTime;
using static JoeCash.Scheduler.Tests.Invitations.Invitations;

namespace JoeCash.Scheduler.Tests.Mail;

/// <summary>
/// What the dispatcher sends is the body encoded once at render time (<c>RenderForWire</c>): it must be the very
/// bytes the rendered message writes, every time it is written.
/// </summary>
public sealed class MailRendererTests
{
    private static readonly Instant Start = Local(2026, 12, 1, 10);

    public static TheoryData<string> Kinds => ["invitation", "reminder", "cancellation"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ForWire_AnyKind_WritesTheSameBytesAsTheRenderedMessage_EveryTime(string kind)
    {
        var message = Compose(kind);
        var payload = System.Text.Json.JsonSerializer.Serialize(message.Payload, MailRenderer.Json);
        var renderer = Renderer();

        // The same rendering both ways: each rendering draws its own multipart boundaries.
        var rendered = renderer.Render(message.MessageId, payload);
        var expected = MailRenderer.ToBytes(rendered);
        var forWire = MailRenderer.ForWire(rendered);

        Assert.Equal(expected, MailRenderer.ToBytes(forWire));
        Assert.Equal(expected, MailRenderer.ToBytes(forWire));
        using var parsed = MimeMessage.Load(new MemoryStream(MailRenderer.ToBytes(forWire)));
        Assert.Equal(message.MessageId, parsed.MessageId);
        Assert.NotEmpty(parsed.TextBody ?? "");
    }

    private static OutboxMessage Compose(string kind)
    {
        var context = new AppointmentContext(Appointment(Start), Customer(), Anna, Type());
        var composer = Composer();
        return kind switch
        {
            "reminder" => Assert.Single(new ReminderComposer(composer, Invitations.Invitations.MailComposer).Compose(context, 60, Now)),
            "cancellation" => Assert.Single(composer.Compose(InvitationKind.Cancel, context, Now)),
            _ => Assert.Single(composer.Compose(InvitationKind.Request, context, Now)),
        };
    }
}
