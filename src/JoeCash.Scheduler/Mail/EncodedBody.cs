using MimeKit;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// A message body encoded once, when the message is rendered: its headers (Content-Type, …) and its content exactly as
/// MimeKit wrote them. Otherwise MimeKit encodes the parts again (quoted-printable, base64, boundaries) every time the
/// message is written — on the SMTP connection's thread, while the server waits for the DATA.
/// </summary>
/// <remarks>
/// The message keeps its own headers (From, To, Subject, Message-ID, …) as MimeKit objects and is still handed to
/// MailKit as a <see cref="MimeMessage"/>; only the body's bytes are fixed. They are 7-bit (quoted-printable and base64
/// parts), so there is nothing left for <see cref="Prepare"/> to change.
/// </remarks>
internal sealed class EncodedBody : MimeEntity
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private readonly byte[] _content;

    private EncodedBody(MimeEntity body, byte[] content)
        : base(body.ContentType.MediaType, body.ContentType.MediaSubtype)
    {
        // The body's own header lines as rendered (the Content-Type with its boundary, …), in their order.
        Headers.Clear();
        foreach (var header in body.Headers)
        {
            Headers.Add(header.Clone());
        }

        _content = content;
    }

    /// <summary>
    /// Encodes the body of <paramref name="message"/> once, in <paramref name="format"/>, and puts it in place of the
    /// parts: written in that format (the wire's, CRLF), the message gives the same bytes as before without encoding
    /// anything again.
    /// </summary>
    public static MimeMessage Encode(MimeMessage message, FormatOptions format)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Body is not { } body || body is EncodedBody)
        {
            return message;
        }

        using var buffer = new MemoryStream(16 * 1024);
        message.WriteTo(format, buffer);
        var written = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        // MimeKit folds header lines but never writes an empty one: the first blank line ends the header block.
        var end = written.IndexOf(HeaderEnd);
        if (end < 0)
        {
            return message;
        }

        message.Body = new EncodedBody(body, written[(end + HeaderEnd.Length)..].ToArray());
        body.Dispose();
        return message;
    }

    /// <summary>The content is final and 7-bit: nothing to prepare.</summary>
    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
    }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        base.WriteTo(options, stream, contentOnly, cancellationToken);
        ArgumentNullException.ThrowIfNull(stream);
        cancellationToken.ThrowIfCancellationRequested();
        stream.Write(_content, 0, _content.Length);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        await base.WriteToAsync(options, stream, contentOnly, cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(_content.AsMemory(), cancellationToken).ConfigureAwait(false);
    }
}
