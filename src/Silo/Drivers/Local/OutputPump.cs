using System.Text;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>Reads a process stream to its end and hands over complete lines, each cut to a maximum length.</summary>
internal static class OutputPump
{
    /// <summary>
    /// Splits on '\n' (dropping a trailing '\r'); a final line without a break is delivered at end of stream. Reads
    /// in chunks instead of <c>ReadLineAsync</c> so a workload that never writes a line break cannot grow memory without bound.
    /// </summary>
    public static async Task RunAsync(Stream stream, int maxLineLength, Action<string> onLine)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096);
        var buffer = new char[4096];
        var line = new StringBuilder();
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                var chunk = buffer.AsSpan(0, read);
                int newline;
                while ((newline = chunk.IndexOf('\n')) >= 0)
                {
                    AppendBounded(line, chunk[..newline], maxLineLength);
                    onLine(Finish(line));
                    chunk = chunk[(newline + 1)..];
                }

                AppendBounded(line, chunk, maxLineLength);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe broke or was closed while the process was being torn down; keep what was read.
        }

        if (line.Length > 0)
        {
            onLine(Finish(line));
        }
    }

    private static void AppendBounded(StringBuilder line, ReadOnlySpan<char> chars, int maxLineLength)
    {
        var room = maxLineLength - line.Length;
        if (room > 0)
        {
            line.Append(chars.Length <= room ? chars : chars[..room]);
        }
    }

    private static string Finish(StringBuilder line)
    {
        if (line.Length > 0 && line[^1] == '\r')
        {
            line.Length--;
        }

        var text = line.ToString();
        line.Clear();
        return text;
    }
}
