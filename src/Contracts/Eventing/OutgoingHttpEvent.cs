namespace Knative.Orleans.Contracts.Eventing;

/// <summary>
/// An event encoded for HTTP once (<see cref="CloudEventWriter.Encode"/>), shared by every delivery of it: nothing here
/// may be changed, and <see cref="ToContent"/> gives each request its own content over the same body.
/// </summary>
/// <param name="body">The request body.</param>
/// <param name="contentType">The <c>Content-Type</c>; null for a binary-mode event without data.</param>
/// <param name="contentHeaders">The <c>ce-*</c> headers, in order.</param>
/// <param name="passThrough">The pass-through headers kept with the event (lower-case name to value).</param>
public sealed class OutgoingHttpEvent(byte[] body, string? contentType, IReadOnlyList<KeyValuePair<string, string>> contentHeaders,
    IReadOnlyDictionary<string, string> passThrough)
{
    private static readonly byte[] NotPlain = [];
    private byte[]? _headerLines;

    /// <summary>The request body.</summary>
    public byte[] Body { get; } = body;

    /// <summary>The <c>Content-Type</c>; null for a binary-mode event without data.</summary>
    public string? ContentType { get; } = contentType;

    /// <summary>The <c>ce-*</c> headers, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ContentHeaders { get; } = contentHeaders;

    /// <summary>The pass-through headers kept with the event (lower-case name to value).</summary>
    public IReadOnlyDictionary<string, string> PassThrough { get; } = passThrough;

    /// <summary>
    /// The event's request header lines as HTTP/1.1 writes them (<c>Content-Type</c>, the <c>ce-*</c> headers, then the
    /// pass-through headers; each <c>name: value\r\n</c>, ASCII), written on first use and shared by every delivery of
    /// the event; null when a name or value holds anything but visible ASCII, space and tab (such an event is sent by a
    /// client that validates and encodes headers itself).
    /// </summary>
    public byte[]? HeaderLines
    {
        get
        {
            var lines = Volatile.Read(ref _headerLines);
            if (lines is null)
            {
                lines = WriteHeaderLines(); // two threads may both write it: the same bytes
                Volatile.Write(ref _headerLines, lines);
            }

            return ReferenceEquals(lines, NotPlain) ? null : lines;
        }
    }

    /// <summary>New content for one request: the shared body (not copied) with the content headers.</summary>
    public HttpContent ToContent()
    {
        var content = new ByteArrayContent(Body);
        if (ContentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }

        foreach (var (name, value) in ContentHeaders)
        {
            content.Headers.TryAddWithoutValidation(name, value);
        }

        return content;
    }

    /// <summary>True when <paramref name="text"/> may be written into an HTTP/1.1 header as it is (visible ASCII, space, tab).</summary>
    public static bool IsPlainHeaderText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (c is (< ' ' and not '\t') or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private byte[] WriteHeaderLines()
    {
        var lines = new System.Text.StringBuilder();
        if (ContentType is not null && !Append(lines, "Content-Type", ContentType))
        {
            return NotPlain;
        }

        foreach (var (name, value) in ContentHeaders)
        {
            if (!Append(lines, name, value))
            {
                return NotPlain;
            }
        }

        foreach (var (name, value) in PassThrough)
        {
            if (!Append(lines, name, value))
            {
                return NotPlain;
            }
        }

        return System.Text.Encoding.ASCII.GetBytes(lines.ToString());
    }

    private static bool Append(System.Text.StringBuilder lines, string name, string value)
    {
        if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal) || !IsPlainHeaderText(name)
            || !IsPlainHeaderText(value))
        {
            return false;
        }

        lines.Append(name).Append(": ").Append(value).Append("\r\n");
        return true;
    }
}
