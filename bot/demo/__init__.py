"""`staffroom demo`: try Staffroom in a browser with Microsoft's Web Chat, no Microsoft account needed."""
