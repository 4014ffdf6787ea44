// The tests drive Debian's Postfix, Dovecot and smtp-sink and POSIX signals: they run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
