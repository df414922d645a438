namespace Knative.Orleans.Grains.Tests.Eventing.Cesql;

/// <summary>
/// Finds the CESQL TCK, which lives outside the repository in <c>shared/tck/cesql</c>: walk up from the test assembly
/// to the repository root (the folder holding Knative.Orleans.sln), then on up from its parent until a folder holds
/// <c>shared/tck/cesql</c> (<c>/work/main/../shared</c>, or <c>/work/wt/cesql/../../shared</c> in a worktree).
/// The TCK is never copied into the repository, so the repository root itself is not searched.
/// </summary>
internal static class TckLocator
{
    public const string SolutionFile = "Knative.Orleans.sln";

    public static readonly string RelativePath = Path.Combine("shared", "tck", "cesql");

    /// <summary>The TCK folder, or an explanation of where it was looked for.</summary>
    public static bool TryFind(out string directory, out string problem)
    {
        directory = "";
        string? root = FindUp(AppContext.BaseDirectory, d => File.Exists(Path.Combine(d, SolutionFile)));
        if (root is null)
        {
            problem = $"CESQL TCK: no {SolutionFile} above the test assembly folder {AppContext.BaseDirectory}.";
            return false;
        }

        string? parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root));
        string? holder = parent is null ? null : FindUp(parent, d => Directory.Exists(Path.Combine(d, RelativePath)));
        if (holder is null)
        {
            problem = $"CESQL TCK: no folder '{RelativePath}' in {parent} or above (repository root {root}). "
                + "It is expected beside the repository, e.g. /work/shared/tck/cesql.";
            return false;
        }

        directory = Path.Combine(holder, RelativePath);
        problem = "";
        return true;
    }

    private static string? FindUp(string start, Func<string, bool> found)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (found(dir.FullName))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
