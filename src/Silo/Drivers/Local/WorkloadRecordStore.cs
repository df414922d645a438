using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>
/// Keeps <c>{DataPath}/workloads/{pid}.json</c> for every running workload, and reaps the workloads a crashed platform left
/// behind: a record whose process still runs with the recorded start time has its process group killed.
/// </summary>
internal sealed class WorkloadRecordStore(string directory, ILogger logger)
{
    public string Directory { get; } = directory;

    public string PathOf(int pid) => Path.Combine(Directory, pid.ToString(CultureInfo.InvariantCulture) + ".json");

    /// <summary>Writes the record atomically (temp file + rename), so a crash never leaves half a record.</summary>
    public void Write(WorkloadRecord record)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(record.Pid);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(record));
        File.Move(temp, path, overwrite: true);
    }

    public void Delete(int pid)
    {
        try
        {
            File.Delete(PathOf(pid));
        }
        catch (IOException ex)
        {
            LocalProcessDriver.Log.RecordFailed(logger, PathOf(pid), ex);
        }
    }

    /// <summary>
    /// Kills every recorded workload that is still running (same pid and start time) with SIGKILL to its group and to
    /// itself, and deletes every record. Returns the records whose processes were killed.
    /// </summary>
    public IReadOnlyList<WorkloadRecord> ReapLeftovers()
    {
        var reaped = new List<WorkloadRecord>();
        if (!System.IO.Directory.Exists(Directory))
        {
            return reaped;
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.json*"))
        {
            try
            {
                if (path.EndsWith(".json", StringComparison.Ordinal) && Read(path) is { } record)
                {
                    var stat = ProcStat.TryRead(record.Pid);
                    if (stat is { IsEnded: false } alive && alive.StartTime == record.StartTime)
                    {
                        ProcessSignals.SignalProcessAndGroup(record.Pid, ProcessSignals.SigKill);
                        reaped.Add(record);
                        LocalProcessDriver.Log.Reaped(logger, record.Pid, record.RevisionKey, record.InstanceId);
                    }
                    else
                    {
                        LocalProcessDriver.Log.StaleRecord(logger, record.Pid, record.RevisionKey, record.InstanceId);
                    }
                }

                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LocalProcessDriver.Log.RecordFailed(logger, path, ex);
            }
        }

        return reaped;
    }

    private WorkloadRecord? Read(string path)
    {
        try
        {
            var record = JsonSerializer.Deserialize<WorkloadRecord>(File.ReadAllBytes(path));
            if (record is { Pid: > 1, RevisionKey: not null, InstanceId: not null })
            {
                return record;
            }
        }
        catch (JsonException)
        {
        }

        LocalProcessDriver.Log.UnreadableRecord(logger, path);
        return null;
    }
}
