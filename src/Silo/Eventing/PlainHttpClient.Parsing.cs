using System.Buffers.Text;
using System.Text;

namespace Knative.Orleans.Silo.Eventing;

/// <summary>Status lines and headers of responses.</summary>
internal sealed partial class PlainHttpClient
{
    /// <summary>A response head: <paramref name="ContentLength"/> null and not <paramref name="Chunked"/> means the body runs to the end of the connection.</summary>
    private readonly record struct Head(int Status, long? ContentLength, bool Chunked, bool KeepAlive, string? ContentType, bool HasSpecVersion);

    /// <summary>Every header of a response head, first value per name (a reply needs them; listed only then).</summary>
    private static List<KeyValuePair<string, string?>> Headers(ReadOnlySpan<byte> head)
    {
        var headers = new List<KeyValuePair<string, string?>>();
        var rest = head[(head.IndexOf("\r\n"u8) + 2)..];
        while (NextHeader(ref rest, out var name, out var value))
        {
            var key = Encoding.Latin1.GetString(name);
            if (!headers.Exists(h => string.Equals(h.Key, key, StringComparison.OrdinalIgnoreCase)))
            {
                headers.Add(KeyValuePair.Create(key, (string?)Encoding.Latin1.GetString(value)));
            }
        }

        return headers;
    }

    // The next "name: value" line of a head (value trimmed); false at the empty line that ends it.
    private static bool NextHeader(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var end = rest.IndexOf("\r\n"u8);
        var line = rest[..end];
        rest = rest[(end + 2)..];
        if (line.IsEmpty)
        {
            name = value = default;
            return false;
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            throw new HttpRequestException("the response has a malformed header line");
        }

        name = line[..colon];
        value = line[(colon + 1)..].Trim(" \t"u8);
        return true;
    }

    private static int ParseStatus(ReadOnlySpan<byte> head)
    {
        var statusLine = head[..head.IndexOf("\r\n"u8)];
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != (byte)' '
            || !Utf8Parser.TryParse(statusLine.Slice(9, 3), out int status, out var consumed) || consumed != 3 || status < 100
            || (statusLine.Length > 12 && statusLine[12] != (byte)' '))
        {
            throw new HttpRequestException("the response is not HTTP/1.x: " + Encoding.Latin1.GetString(statusLine[..Math.Min(statusLine.Length, 64)]));
        }

        return status;
    }

    private static Head ParseHead(ReadOnlySpan<byte> head, int status)
    {
        var keepAlive = head[7] == (byte)'1'; // HTTP/1.0 connections are not kept
        long? contentLength = null;
        var chunked = false;
        var encoded = false;
        string? contentType = null;
        var hasSpecVersion = false;
        var rest = head[(head.IndexOf("\r\n"u8) + 2)..];
        while (NextHeader(ref rest, out var name, out var value))
        {
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out long length, out var used) || used != value.Length || length < 0
                    || (contentLength is { } earlier && earlier != length))
                {
                    throw new HttpRequestException("the response has an invalid Content-Length");
                }

                contentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                encoded = true; // without chunked last, the body runs to the end of the connection (RFC 9112 §6.3)
                chunked = Ascii.EqualsIgnoreCase(LastToken(value), "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                keepAlive &= !ContainsToken(value, "close"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "content-type"u8))
            {
                contentType ??= Encoding.Latin1.GetString(value);
            }
            else if (Ascii.EqualsIgnoreCase(name, "ce-specversion"u8))
            {
                hasSpecVersion = true;
            }
        }

        return new Head(status, encoded ? null : contentLength, chunked, keepAlive, contentType, hasSpecVersion);
    }

    private static ReadOnlySpan<byte> LastToken(ReadOnlySpan<byte> value)
    {
        var comma = value.LastIndexOf((byte)',');
        return (comma >= 0 ? value[(comma + 1)..] : value).Trim(" \t"u8);
    }

    private static bool ContainsToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }
}
