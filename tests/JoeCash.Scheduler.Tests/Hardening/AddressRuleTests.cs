using Ical.Net;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using MimeKit;
using static JoeCash.Scheduler.Tests.Invitations.Invitations;

namespace JoeCash.Scheduler.Tests.Hardening;

/// <summary>
/// The one address rule against the two libraries that write addresses: whatever the input check
/// accepts, MimeKit puts into To: and the SMTP envelope, and Ical.Net into ATTENDEE, unchanged.
/// </summary>
public sealed class AddressRuleTests
{
    /// <summary>Odd but valid by RFC 5322, seen in the wild, and every printable ASCII character in a local part.</summary>
    public static TheoryData<string> Candidates()
    {
        var data = new TheoryData<string>
        {
            "eva@[127.0.0.1]", "a%evil@shop.test", "#!$%&'*+-/=?^_`{}|~@shop.test", "o'brien@pub.test", "first.last+kasse@shop.test",
            "x@-x.test", "x@shop_test.test", "\"quoted name\"@shop.test", "info@bäckerei-müller.de", "UPPER@SHOP.TEST",
        };
        for (var c = '!'; c <= '~'; c++)
        {
            data.Add($"a{c}b@shop.test");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Candidates))]
    public void EmailRule_AcceptedAddress_IsWrittenUnchangedIntoMimeAndICalendar(string candidate)
    {
        var rule = UserText.Email(candidate, "email");
        if (!rule.IsSuccess)
        {
            // Refused at the door, with a reason that names the field.
            Assert.StartsWith("email", rule.Error, StringComparison.Ordinal);
            return;
        }

        var address = rule.Value;
        var outgoing = Assert.Single(Composer().Compose(
            InvitationKind.Request, new AppointmentContext(Appointment(Local(2026, 12, 1, 10)), Customer(emails: address), Anna, Type()), Now));
        var wire = System.Text.Encoding.UTF8.GetString(Render(outgoing));
        var message = Parse(outgoing);

        // On the wire exactly as stored (MimeKit shows an IDN domain decoded when it parses it back).
        Assert.Matches(@"(?m)^To: .*<" + System.Text.RegularExpressions.Regex.Escape(address) + ">\r$", wire);
        Assert.Equal(address, Ascii(MailboxAddress.Parse(address).Address)); // the SMTP envelope recipient
        var attendee = Assert.Single(Assert.Single(Calendar.Load(CalendarPart(message).Text)!.Events).Attendees);
        Assert.Equal("mailto:" + address, attendee.Value!.OriginalString);
    }

    private static string Ascii(string address)
    {
        var at = address.LastIndexOf('@');
        return address[..(at + 1)] + new System.Globalization.IdnMapping().GetAscii(address[(at + 1)..]);
    }

    [Theory]
    [InlineData("eva@[127.0.0.1]")]
    [InlineData("a%evil@shop.test")]
    [InlineData("#!$%&'*+-/=?^_`{}|~@shop.test")]
    [InlineData("x@-x.test")]
    [InlineData("x@shop_test.test")]
    public void EmailRule_FormsThatBrokeTheMail_AreRefused(string address)
    {
        Assert.False(UserText.Email(address, "--email").IsSuccess);
    }

    [Fact]
    public void EmailRule_AcceptsEnoughToBeUseful()
    {
        var accepted = Candidates().Select(row => row.Data).Count(a => UserText.Email(a, "email").IsSuccess);

        // Letters, digits, the dot and !$'*+-_~ in the generated local parts, plus the ordinary forms above.
        Assert.True(accepted >= 70, $"only {accepted} candidates accepted");
    }
}
