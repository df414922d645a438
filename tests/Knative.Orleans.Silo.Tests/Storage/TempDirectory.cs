namespace Knative.Orleans.Silo.Tests.Storage;

/// <summary>A fresh directory under the system temp folder, deleted (with its contents) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "knative-orleans-storage-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>The directory path; it does not exist until something creates it.</summary>
    public string Path { get; }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail a test.
        }
    }
}
