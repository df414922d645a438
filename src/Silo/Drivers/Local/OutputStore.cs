namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>
/// Bounded output per revision, kept after its instances stop. Each revision keeps at most <c>maxLines</c> lines and
/// <c>maxChars</c> characters (one extra per line break), oldest dropped first. At most <c>maxRevisions</c> revisions are
/// kept; adding one more forgets the revision whose output was least recently written or read.
/// </summary>
internal sealed class OutputStore(int maxLines, int maxChars, int maxRevisions)
{
    private readonly Dictionary<string, Revision> _revisions = new(StringComparer.Ordinal);
    private long _clock;

    public void Append(string revisionKey, string line)
    {
        lock (_revisions)
        {
            if (!_revisions.TryGetValue(revisionKey, out var revision))
            {
                if (_revisions.Count >= maxRevisions)
                {
                    _revisions.Remove(_revisions.MinBy(r => r.Value.LastUsed).Key);
                }

                revision = new Revision();
                _revisions.Add(revisionKey, revision);
            }

            revision.LastUsed = ++_clock;
            if (line.Length + 1 > maxChars)
            {
                line = line[..(maxChars - 1)];
            }

            revision.Lines.Enqueue(line);
            revision.Chars += line.Length + 1;
            while (revision.Lines.Count > maxLines || revision.Chars > maxChars)
            {
                revision.Chars -= revision.Lines.Dequeue().Length + 1;
            }
        }
    }

    /// <summary>The last <paramref name="tailLines"/> lines joined with '\n' (all of them when negative); "" when unknown.</summary>
    public string Tail(string revisionKey, int tailLines)
    {
        lock (_revisions)
        {
            if (tailLines == 0 || !_revisions.TryGetValue(revisionKey, out var revision))
            {
                return "";
            }

            revision.LastUsed = ++_clock;
            var skip = tailLines < 0 ? 0 : Math.Max(0, revision.Lines.Count - tailLines);
            return string.Join('\n', revision.Lines.Skip(skip));
        }
    }

    private sealed class Revision
    {
        public Queue<string> Lines { get; } = new();

        public long Chars { get; set; }

        public long LastUsed { get; set; }
    }
}
